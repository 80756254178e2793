import { describe, expect, it } from 'vitest'
import { deviceLabel, requestCountry } from './device-label.ts'

describe('deviceLabel', () => {
  it.each([
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      'Safari on macOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
      'Firefox on Windows',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      'Safari on iPhone',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36',
      'Chrome on Linux',
    ],
    ['curl/8.5.0', 'Unknown device'],
    [undefined, 'Unknown device'],
  ])('labels %s as %s (no versions, no models)', (ua, label) => {
    expect(deviceLabel(ua)).toBe(label)
  })
})

describe('requestCountry', () => {
  it('reads Cloudflare edge metadata and ignores unknown or malformed values', () => {
    // The shape workerd gives a request; only `cf` is read.
    const withCf = (cf: unknown) => ({ cf }) as unknown as Request
    expect(requestCountry(withCf({ country: 'NL' }))).toBe('NL')
    expect(requestCountry(withCf({ country: 'XX' }))).toBeUndefined()
    expect(requestCountry(withCf({ country: '<script>' }))).toBeUndefined()
    expect(requestCountry(new Request('https://x.test'))).toBeUndefined()
  })
})

import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { testApp } from '../../support/app.ts'

describe('authorization request tampering', () => {
  it('MFA / step-up downgrade: a login URL cannot override the acr_values or max_age the app configured', async () => {
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      authorizationParams: { acr_values: 'urn:mfa', max_age: '300', prompt: 'login' },
    })
    const res = await browser.get('/auth/login?acr_values=urn:pwd&max_age=999999999&prompt=none')
    expect(res.status).toBe(302)
    const url = new URL(res.headers.get('location') as string)
    expect(url.searchParams.get('acr_values')).toBe('urn:mfa')
    expect(url.searchParams.get('max_age')).toBe('300')
    expect(url.searchParams.get('prompt')).toBe('login')
  })

  it('parameters the app did not fix are still forwarded', async () => {
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      authorizationParams: { acr_values: 'urn:mfa' },
    })
    const res = await browser.get('/auth/login?login_hint=alice&max_age=60')
    const url = new URL(res.headers.get('location') as string)
    expect(url.searchParams.get('login_hint')).toBe('alice')
    expect(url.searchParams.get('max_age')).toBe('60')
  })
})

import type { Idp } from '@bezzie/idp'
import { driveLogin } from '@bezzie/idp/client'
import { startIdpForBff } from '@bezzie/test-support/idp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import type { SessionInfo } from '../../../src/devices/sessions-list.ts'
import { testApp } from '../../support/app.ts'
import { Browser } from '../../support/browser.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../../support/constants.ts'
import { DEMO_CREDENTIALS } from '../../support/login.ts'

// "Your devices" against the real IdP: each login is a device with a label from its User-Agent;
// the user lists them and signs one, or all others, out.

const FIREFOX_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0'
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36'
const JSON_POST = {
  'content-type': 'application/json',
  'sec-fetch-site': 'same-origin',
  origin: BASE_URL,
}

let idp: Idp
beforeAll(async () => {
  idp = await startIdpForBff(
    { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, origins: [BASE_URL] },
    { resource: AUDIENCE },
  )
})
afterAll(() => idp?.stop())

function devicesApp() {
  return testApp({ issuer: idp.issuer, adapter: new MemoryAdapter() })
}

/** Signs `username` in on a new browser that sends `userAgent` with every request. */
async function signIn(t: ReturnType<typeof devicesApp>, userAgent: string, username = 'alice') {
  const browser = new Browser((req) => {
    const headers = new Headers(req.headers)
    headers.set('user-agent', userAgent)
    return t.app.fetch(new Request(req, { headers }))
  })
  const start = await browser.get('/auth/login?returnTo=/')
  const { callbackUrl } = await driveLogin(start.headers.get('location') as string, {
    ...DEMO_CREDENTIALS,
    username,
  })
  const callback = new URL(callbackUrl)
  expect((await browser.get(callback.pathname + callback.search)).status).toBe(302)
  return browser
}

async function devices(browser: Browser): Promise<SessionInfo[]> {
  const res = await browser.get('/auth/sessions')
  expect(res.status).toBe(200)
  expect(res.headers.get('cache-control')).toBe('no-store')
  return ((await res.json()) as { sessions: SessionInfo[] }).sessions
}

function revoke(browser: Browser, body: unknown, headers: Record<string, string> = JSON_POST) {
  return browser.request('/auth/sessions/revoke', {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
}

describe('your devices', () => {
  it("lists the user's own sessions with a device label, times, and which one is current", async () => {
    const t = devicesApp()
    const laptop = await signIn(t, FIREFOX_WINDOWS)
    const phone = await signIn(t, SAFARI_IPHONE)
    await signIn(t, CHROME_MAC, 'bob')
    const list = await devices(laptop)
    expect(list.map((s) => s.device).sort()).toEqual(['Firefox on Windows', 'Safari on iPhone'])
    expect(list.filter((s) => s.current).map((s) => s.device)).toEqual(['Firefox on Windows'])
    const now = Math.floor(Date.now() / 1000)
    for (const s of list) {
      expect(Math.abs(s.createdAt - now)).toBeLessThan(60)
      expect(s.lastSeenAt).toBeGreaterThanOrEqual(s.createdAt)
      expect(s.expiresAt).toBeGreaterThan(now)
      expect(s.country).toBeNull() // Node gives no edge metadata
      expect(s.id).toMatch(/^[\w-]{22}$/)
    }
    // The phone sees the same two, itself current.
    expect((await devices(phone)).find((s) => s.current)?.device).toBe('Safari on iPhone')
    // Nothing that opens a session is in the list: no cookie value, no token.
    const raw = JSON.stringify(list)
    for (const browser of [laptop, phone]) {
      expect(raw).not.toContain(browser.cookies.get('__Host-session') as string)
    }
    expect(raw).not.toMatch(/eyJ/)
  })

  it('auth.sessions.list({ sub }) gives the server the same list, none current without a context', async () => {
    const t = devicesApp()
    await signIn(t, FIREFOX_WINDOWS)
    await signIn(t, SAFARI_IPHONE)
    const list = await t.auth.sessions.list({ sub: 'alice' })
    expect(list).toHaveLength(2)
    expect(list.every((s) => !s.current)).toBe(true)
    await expect(t.auth.sessions.list({ sub: '' })).rejects.toThrow(TypeError)
  })

  it('signs one device out: its next request is 401, its refresh token is revoked, the others stay', async () => {
    const t = devicesApp()
    const laptop = await signIn(t, FIREFOX_WINDOWS)
    const phone = await signIn(t, SAFARI_IPHONE)
    const target = (await devices(laptop)).find((s) => s.device === 'Safari on iPhone')
    idp.resetCounts()
    const res = await revoke(laptop, { id: target?.id })
    expect(await res.json()).toEqual({ revoked: 1 })
    expect(idp.counts.revocation).toBe(1)
    expect((await phone.get('/api/whoami')).status).toBe(401)
    expect((await laptop.get('/api/whoami')).status).toBe(200)
    expect((await devices(laptop)).map((s) => s.device)).toEqual(['Firefox on Windows'])
  })

  it('"sign out this device" by its own id ends the session and clears the cookie', async () => {
    const t = devicesApp()
    const laptop = await signIn(t, FIREFOX_WINDOWS)
    const me = (await devices(laptop)).find((s) => s.current)
    const res = await revoke(laptop, { id: me?.id })
    expect(await res.json()).toEqual({ revoked: 1 })
    expect(laptop.cookies.has('__Host-session')).toBe(false)
    expect((await laptop.get('/api/whoami')).status).toBe(401)
  })

  it('signs out every other device and keeps the current one', async () => {
    const t = devicesApp()
    const laptop = await signIn(t, FIREFOX_WINDOWS)
    const phone = await signIn(t, SAFARI_IPHONE)
    const desktop = await signIn(t, CHROME_MAC)
    expect(await (await revoke(desktop, { others: true })).json()).toEqual({ revoked: 2 })
    expect((await laptop.get('/api/whoami')).status).toBe(401)
    expect((await phone.get('/api/whoami')).status).toBe(401)
    expect((await devices(desktop)).map((s) => s.device)).toEqual(['Chrome on macOS'])
  })

  it("cross-user revocation: another user cannot sign out alice's device with its id", async () => {
    const t = devicesApp()
    const alice = await signIn(t, FIREFOX_WINDOWS)
    const bob = await signIn(t, CHROME_MAC, 'bob')
    const aliceId = (await devices(alice))[0]?.id
    expect(await (await revoke(bob, { id: aliceId })).json()).toEqual({ revoked: 0 })
    expect((await alice.get('/api/whoami')).status).toBe(200)
    expect(await t.auth.sessions.revoke({ sub: 'bob', id: aliceId as string })).toBe(0)
    expect((await alice.get('/api/whoami')).status).toBe(200)
  })

  it('CSRF: a cross-site revoke is refused (403), and a form-encoded one is 400', async () => {
    const t = devicesApp()
    const laptop = await signIn(t, FIREFOX_WINDOWS)
    const phone = await signIn(t, SAFARI_IPHONE)
    const phoneId = (await devices(laptop)).find((s) => !s.current)?.id
    const crossSite = await revoke(
      laptop,
      { others: true },
      { ...JSON_POST, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    )
    expect(crossSite.status).toBe(403)
    const form = await laptop.request('/auth/sessions/revoke', {
      method: 'POST',
      headers: { ...JSON_POST, 'content-type': 'application/x-www-form-urlencoded' },
      body: `id=${phoneId}`,
    })
    expect(form.status).toBe(400)
    expect((await phone.get('/api/whoami')).status).toBe(200)
  })

  it('answers 401 to a signed-out browser', async () => {
    const t = devicesApp()
    expect((await t.browser.get('/auth/sessions')).status).toBe(401)
    expect((await revoke(t.browser, { others: true })).status).toBe(401)
  })
})

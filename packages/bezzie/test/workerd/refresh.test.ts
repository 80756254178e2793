import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { cloudflareKVAdapter } from '../../src/adapters/kv.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { type Clock, TEST_CLOCK } from '../../src/clock.ts'
import { resolveConfig } from '../../src/config.ts'
import { ensureFreshTokens, resetRefreshState } from '../../src/refresh.ts'
import { createRuntime, type Runtime } from '../../src/runtime.ts'
import { sessionKey } from '../../src/session/keys.ts'
import { parseRecord } from '../../src/session/record.ts'
import { testApp } from '../support/app.ts'
import type { Browser } from '../support/browser.ts'
import { testClock } from '../support/clock.ts'
import { isCounted } from '../support/config.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'
import { idpClearFaults, idpCounts, idpFault, login } from '../support/login.ts'

// These tests share the rotating IdP (2-second access tokens) and read its counters: sequential.
// Instead of waiting for a token to expire, each test moves bezzie's clock forward.
const issuer = () => env.IDP_ROTATING_ISSUER
const refreshGrants = async () => (await idpCounts(issuer()))['grant:refresh_token'] ?? 0

async function storedRecord(adapter: SessionAdapter, browser: Browser) {
  const key = await sessionKey(browser.cookies.get('__Host-session') as string)
  const raw = await adapter.get(key)
  return { key, record: raw === null ? null : parseRecord(raw) }
}

/** A second isolate's runtime over the same store: it refreshes with whatever record it holds. */
function isolate(
  adapter: SessionAdapter,
  refreshBufferSeconds: number,
  now: Clock,
  report: Runtime['report'] = () => {},
): Runtime {
  const config = resolveConfig({
    issuer: issuer(),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    adapter,
    baseUrl: BASE_URL,
    refreshBufferSeconds,
    onError: (e) => {
      if (isCounted(e)) report(e)
    },
    ...{ [TEST_CLOCK]: now },
  })
  return createRuntime(config)
}

// Backoff after an IdP failure is per isolate and per issuer: each test starts without it.
afterEach(async () => {
  await idpClearFaults(issuer())
  resetRefreshState()
})

/** Retries `request` until it answers 200, for at most `withinMs` (a backoff running out). */
async function eventually200(request: () => Promise<Response>, withinMs = 10_000) {
  const deadline = Date.now() + withinMs
  let status = 0
  while (Date.now() < deadline) {
    status = (await request()).status
    if (status === 200) return status
    await new Promise((r) => setTimeout(r, 200))
  }
  return status
}

describe('token refresh', () => {
  it('refreshes an expiring token once, stores the rotated refresh token, then makes no IdP call', async () => {
    // Stopped while the test runs: on a busy machine more than a second can pass between the two
    // requests, and a 2-second token would then legitimately be due again.
    const clock = testClock({ frozen: true })
    const adapter = cloudflareKVAdapter(env.SESSION_KV)
    const { browser } = testApp({
      issuer: issuer(),
      adapter,
      refreshBufferSeconds: 1,
      now: clock.now,
    })
    await login(browser)
    const before = (await storedRecord(adapter, browser)).record
    clock.advance(1200)
    const grants = await refreshGrants()
    expect((await browser.get('/api/whoami')).status).toBe(200)
    expect(await refreshGrants()).toBe(grants + 1)
    const after = (await storedRecord(adapter, browser)).record
    expect(after?.tokens.accessToken).not.toBe(before?.tokens.accessToken)
    expect(after?.tokens.refreshToken).not.toBe(before?.tokens.refreshToken)
    expect((await browser.get('/api/whoami')).status).toBe(200)
    expect(await refreshGrants()).toBe(grants + 1)
  })

  it('full flow on KV: login → /me → API → refresh → API → logout', async () => {
    const clock = testClock()
    const adapter = cloudflareKVAdapter(env.SESSION_KV)
    const { browser, errors } = testApp({
      issuer: issuer(),
      adapter,
      refreshBufferSeconds: 1,
      now: clock.now,
    })
    await login(browser)
    const me = (await (await browser.get('/auth/me')).json()) as { user: { sub: string } }
    expect((await browser.get('/api/whoami')).status).toBe(200)
    const before = (await storedRecord(adapter, browser)).record
    clock.advance(1200)
    expect(await (await browser.get('/api/whoami')).json()).toMatchObject({
      user: { sub: me.user.sub },
    })
    const after = (await storedRecord(adapter, browser)).record
    expect(after?.tokens.accessToken).not.toBe(before?.tokens.accessToken)
    const logout = await browser.post('/auth/logout')
    expect(logout.status).toBe(303)
    expect((await browser.get('/api/whoami')).status).toBe(401)
    expect(await (await browser.get('/auth/me')).json()).toEqual({ user: null })
    expect(errors).toEqual([])
  })

  it('single-flight: 10 concurrent requests of one session make exactly one refresh', async () => {
    const clock = testClock({ frozen: true })
    const adapter = cloudflareKVAdapter(env.SESSION_KV)
    const { browser } = testApp({
      issuer: issuer(),
      adapter,
      refreshBufferSeconds: 1,
      now: clock.now,
    })
    await login(browser)
    clock.advance(1200)
    const grants = await refreshGrants()
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => browser.get('/api/whoami').then((r) => r.status)),
    )
    expect(statuses).toEqual(Array(10).fill(200))
    expect(await refreshGrants()).toBe(grants + 1)
  })

  it('keeps the previous refresh token when the IdP does not rotate', async () => {
    const adapter = new MemoryAdapter()
    // The default IdP does not rotate; a buffer longer than its 5-minute tokens forces a refresh.
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter, refreshBufferSeconds: 3600 })
    await login(browser)
    const before = (await storedRecord(adapter, browser)).record
    // Login itself made the first request; this one refreshes.
    expect((await browser.get('/api/whoami')).status).toBe(200)
    const after = (await storedRecord(adapter, browser)).record
    expect(after?.tokens.accessToken).not.toBe(before?.tokens.accessToken)
    expect(after?.tokens.refreshToken).toBe(before?.tokens.refreshToken)
  })

  it('IdP outage (503) before expiry: the request proceeds with the current token, session kept', async () => {
    const faulty = env.IDP_FAULT_ISSUER
    const adapter = new MemoryAdapter()
    // 5-minute tokens and a 1-hour buffer: every request wants a refresh, none has expired.
    const { browser, errors } = testApp({ issuer: faulty, adapter, refreshBufferSeconds: 3600 })
    await login(browser)
    await idpFault(faulty, 'token', 'http503')
    const grants = async () => (await idpCounts(faulty))['grant:refresh_token'] ?? 0
    const before = await grants()
    try {
      expect((await browser.get('/api/whoami')).status).toBe(200)
      expect((await browser.get('/api/whoami')).status).toBe(200)
    } finally {
      await idpClearFaults(faulty)
    }
    // The second request is inside the backoff the first failure started: no second IdP call.
    expect(await grants()).toBe(before + 1)
    expect(errors.map((e) => e.code)).toEqual(['refresh_failed'])
    expect((await storedRecord(adapter, browser)).record).not.toBeNull()
  })

  it('IdP outage (connection reset) after expiry: 503 with Retry-After, session kept, recovers', async () => {
    const clock = testClock()
    const adapter = new MemoryAdapter()
    const { browser } = testApp({
      issuer: issuer(),
      adapter,
      refreshBufferSeconds: 0,
      now: clock.now,
    })
    await login(browser)
    clock.advance(2200)
    await idpFault(issuer(), 'token', 'reset')
    const res = await browser.get('/api/whoami')
    expect(res.status).toBe(503)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await res.json()).toMatchObject({ error: 'idp_unavailable' })
    expect(browser.cookies.has('__Host-session')).toBe(true)
    await idpClearFaults(issuer())
    // Recovers on its own once the backoff (1 s after one failure) has run out.
    expect(await eventually200(() => browser.get('/api/whoami'))).toBe(200)
  })

  it('IdP timeout after expiry: the same refresh token is retried once at once, and the request succeeds', async () => {
    const clock = testClock()
    const adapter = new MemoryAdapter()
    const { browser } = testApp({
      issuer: issuer(),
      adapter,
      refreshBufferSeconds: 0,
      now: clock.now,
    })
    await login(browser)
    clock.advance(2200)
    await idpFault(issuer(), 'token', 'timeout', 1)
    const grants = await refreshGrants()
    const started = Date.now()
    const res = await browser.get('/api/whoami')
    expect(res.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(8000)
    expect(await refreshGrants()).toBe(grants + 2)
    expect(
      (await browser.get('/auth/me?slide=false').then((r) => r.json())) as object,
    ).toHaveProperty('user.sub')
  })

  it('invalid_grant: the session is deleted, the cookie cleared, and the request gets 401', async () => {
    const clock = testClock()
    const adapter = new MemoryAdapter()
    const { browser, errors } = testApp({
      issuer: issuer(),
      adapter,
      refreshBufferSeconds: 0,
      now: clock.now,
    })
    await login(browser)
    const { key, record } = await storedRecord(adapter, browser)
    if (!record) throw new Error('no session')
    record.tokens.refreshToken = 'revoked-or-unknown'
    await adapter.set(key, JSON.stringify(record), { ttlSeconds: 600 })
    clock.advance(2200)
    const res = await browser.get('/api/whoami')
    expect(res.status).toBe(401)
    expect(errors.map((e) => e.code)).toContain('refresh_token_invalid')
    expect(await adapter.get(key)).toBeNull()
    expect(browser.cookies.has('__Host-session')).toBe(false)
  })

  it('KV lag: invalid_grant for a refresh token another isolate already rotated re-reads the session instead of logging out', async () => {
    const clock = testClock()
    const adapter = cloudflareKVAdapter(env.SESSION_KV)
    const { browser } = testApp({
      issuer: issuer(),
      adapter,
      refreshBufferSeconds: 0,
      now: clock.now,
    })
    await login(browser)
    const { key, record: stale } = await storedRecord(adapter, browser)
    if (!stale) throw new Error('no session')
    clock.advance(2200)
    // "Another isolate" refreshes: the stored refresh token is rotated.
    expect((await browser.get('/api/whoami')).status).toBe(200)
    const rotated = (await storedRecord(adapter, browser)).record
    expect(rotated?.tokens.refreshToken).not.toBe(stale.tokens.refreshToken)
    // This isolate still holds the stale record and refreshes with the old token.
    const reported: string[] = []
    const rt = isolate(adapter, 0, clock.now, (e) => reported.push(e.code))
    const outcome = await ensureFreshTokens(rt, { key, record: stale })
    expect(outcome.status).toBe('ok')
    if (outcome.status === 'ok') {
      expect(outcome.session.record.tokens.refreshToken).toBe(rotated?.tokens.refreshToken)
    }
    expect(reported).toEqual([])
    expect(await adapter.get(key)).not.toBeNull()
  })

  it.each([
    ['with an atomic replace (memory)', () => new MemoryAdapter() as SessionAdapter],
    ['without replace (KV: re-read before writing)', () => cloudflareKVAdapter(env.SESSION_KV)],
  ])('logout during refresh: a refresh never resurrects a deleted session %s', async (_n, make) => {
    const adapter = make()
    const clock = testClock()
    const { browser } = testApp({
      issuer: issuer(),
      adapter,
      refreshBufferSeconds: 1,
      now: clock.now,
    })
    await login(browser)
    const { key, record } = await storedRecord(adapter, browser)
    if (!record) throw new Error('no session')
    // The request loaded the session, then a logout deleted it before the refresh wrote back.
    await adapter.delete(key)
    const rt = isolate(adapter, 1, clock.now)
    clock.advance(1200)
    const outcome = await ensureFreshTokens(rt, { key, record })
    expect(outcome.status).toBe('logged_out')
    expect(await adapter.get(key)).toBeNull()
  })
})

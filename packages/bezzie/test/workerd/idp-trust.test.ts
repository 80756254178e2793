import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { clearDiscoveryCache, discover } from '../../src/oidc/discovery.ts'
import { testApp } from '../support/app.ts'
import { login } from '../support/login.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('trusting the IdP', () => {
  it('token substitution: an access token for another audience is rejected at login, no session', async () => {
    const { browser, errors } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      // The IdP issues tokens for its own resource; this app expects a different API.
      audience: 'https://other-api.example',
      audienceParam: 'none',
    })
    const { response } = await login(browser)
    expect(response.status).toBe(502)
    expect(await response.json()).toMatchObject({ error: 'access_token_invalid' })
    expect(browser.cookies.has('__Host-session')).toBe(false)
    expect(errors.map((e) => e.code)).toContain('access_token_invalid')
  })

  it('validateAccessToken: a stored token that no longer verifies is refused per request', async () => {
    const { auth, browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      validateAccessToken: true,
    })
    await login(browser)
    expect((await browser.get('/api/whoami')).status).toBe(200)
    const forged = await auth.sessions.create({
      user: { sub: 'mallory' },
      tokens: {
        accessToken: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.c2ln',
        expiresAt: Math.floor(Date.now() / 1000) + 600,
      },
    })
    const res = await browser.request('/api/whoami', { headers: { cookie: forged.cookie } })
    expect(res.status).toBe(401)
  })

  it('an unreachable IdP at login is a 502 JSON error, not a 500', async () => {
    const { browser, errors } = testApp({
      issuer: 'http://127.0.0.1:9',
      adapter: new MemoryAdapter(),
    })
    const res = await browser.get('/auth/login')
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: 'discovery_failed' })
    expect(errors.map((e) => e.code)).toEqual(['discovery_failed'])
  })

  it('discovery is fetched once for concurrent cold callers and then served from the isolate cache', async () => {
    clearDiscoveryCache()
    const spy = vi.spyOn(globalThis, 'fetch')
    const issuer = new URL(env.IDP_ISSUER)
    const results = await Promise.all(Array.from({ length: 5 }, () => discover(issuer, true)))
    await discover(issuer, true)
    expect(new Set(results.map((r) => r.issuer))).toEqual(new Set([env.IDP_ISSUER]))
    expect(spy).toHaveBeenCalledTimes(1)
  })
})

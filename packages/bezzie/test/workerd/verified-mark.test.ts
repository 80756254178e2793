import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cloudflareKVAdapter } from '../../src/adapters/kv.ts'
import { forgetVerifiedTokens } from '../../src/oidc/jwks.ts'
import { sessionKey } from '../../src/session/keys.ts'
import { parseRecord, type SessionRecord } from '../../src/session/record.ts'
import { testApp } from '../support/app.ts'
import { login } from '../support/login.ts'

// In workerd, on real KV and the real IdP: a cold read (a new isolate's memo, or more sessions
// than it holds) of a record bezzie marked as verified when it wrote it makes no RSA verification.

afterEach(() => {
  vi.restoreAllMocks()
  forgetVerifiedTokens()
})

const SESSION_COOKIE = '__Host-session'

describe('the verified mark on Workers (validateAccessToken, KV)', () => {
  it('a cold read of a marked record makes no Web Crypto verification; without the mark it does', async () => {
    const adapter = cloudflareKVAdapter(env.SESSION_KV)
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter, validateAccessToken: true })
    await login(browser)
    const key = sessionKey(browser.cookies.get(SESSION_COOKIE) as string)
    const record = parseRecord((await adapter.get(key)) as string) as SessionRecord
    expect(record.accessTokenVerified).toBeDefined()

    forgetVerifiedTokens()
    const verify = vi.spyOn(crypto.subtle, 'verify')
    expect((await browser.get('/api/whoami')).status).toBe(200)
    expect(verify).not.toHaveBeenCalled()

    const { accessTokenVerified: _mark, ...unmarked } = record
    await adapter.set(key, JSON.stringify(unmarked), { ttlSeconds: 3600 })
    forgetVerifiedTokens()
    expect((await browser.get('/api/whoami')).status).toBe(200)
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it('with `secret` (sealed records) the mark is kept and trusted the same way', async () => {
    const adapter = cloudflareKVAdapter(env.SESSION_KV)
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter,
      validateAccessToken: true,
      secret: 'a-test-secret-that-is-at-least-32-characters-long',
    })
    await login(browser)
    forgetVerifiedTokens()
    const verify = vi.spyOn(crypto.subtle, 'verify')
    expect((await browser.get('/api/whoami')).status).toBe(200)
    expect(verify).not.toHaveBeenCalled()
  })
})

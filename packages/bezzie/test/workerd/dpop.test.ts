import { env } from 'cloudflare:workers'
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair } from 'jose'
import { beforeEach, describe, expect, it } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { resolveConfig } from '../../src/config.ts'
import { ConfigError } from '../../src/errors.ts'
import { clearDpopHandles } from '../../src/oidc/dpop.ts'
import { sessionKey } from '../../src/session/keys.ts'
import { parseRecord } from '../../src/session/record.ts'
import { SessionStore } from '../../src/session/store.ts'
import { clearClientTokenCache } from '../../src/tokens/client-credentials.ts'
import { testApp } from '../support/app.ts'
import type { Browser } from '../support/browser.ts'
import { testClock } from '../support/clock.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'
import { idpCounts, login } from '../support/login.ts'

// DPoP (RFC 9449) end to end: the real IdP and the real apps/upstream-mock both demand server
// nonces (see test/support/idp.global.ts), so every token request and every proxied call below
// has gone through a use_dpop_nonce round trip at least once.

const XCSRF = { 'x-csrf': '1' }

function dpopApp(adapter: SessionAdapter = new MemoryAdapter(), dpop: unknown = true) {
  const clock = testClock()
  const test = testApp({
    issuer: env.IDP_DPOP_ISSUER,
    adapter,
    dpop: dpop as boolean,
    now: clock.now,
  })
  const upstream = env.DPOP_UPSTREAM_ORIGIN
  test.app.all('/api/upstream/*', test.auth.proxy({ upstream, stripPrefix: '/api/upstream' }))
  test.app.all(
    '/service/*',
    test.auth.proxy({ upstream, stripPrefix: '/service', token: 'client', requireHeader: false }),
  )
  return { ...test, clock, adapter }
}

async function signedIn(adapter?: SessionAdapter) {
  const app = dpopApp(adapter)
  const { response } = await login(app.browser)
  expect(response.status).toBe(302)
  expect(response.headers.get('location')).toBe(`${BASE_URL}/dashboard`)
  return app
}

async function storedTokens(adapter: SessionAdapter, browser: Browser) {
  const key = sessionKey(browser.cookies.get('__Host-session') as string)
  const raw = (await adapter.get(key)) as string
  return (parseRecord(raw) as NonNullable<ReturnType<typeof parseRecord>>).tokens
}

// Every test starts as a fresh isolate would: no DPoP key imported, no nonce remembered.
beforeEach(() => {
  clearDpopHandles()
  clearClientTokenCache()
})

describe('DPoP', () => {
  it('logs in with a DPoP-bound token and the proxy presents it upstream as DPoP with a proof', async () => {
    const grants = async () =>
      (await idpCounts(env.IDP_DPOP_ISSUER))['grant:authorization_code'] ?? 0
    const before = await grants()
    const { adapter, browser, errors } = await signedIn()
    // No nonce yet in this "isolate": use_dpop_nonce, then the same code again with the nonce.
    expect((await grants()) - before).toBe(2)
    const { accessToken } = await storedTokens(adapter, browser)
    expect(decodeJwt(accessToken).cnf).toEqual({ jkt: expect.any(String) })
    const response = await browser.get('/api/upstream/api/me', XCSRF)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ sub: 'alice', tokenType: 'DPoP' })
    expect(errors).toEqual([])
  })

  it('retries a request with a body once with the upstream nonce (the body is sent again whole)', async () => {
    const { browser } = await signedIn()
    // The first upstream call of this "isolate": no nonce yet, so the upstream refuses it first.
    const response = await browser.request('/api/upstream/api/notes', {
      method: 'POST',
      headers: {
        ...XCSRF,
        'content-type': 'application/json',
        origin: BASE_URL,
        'sec-fetch-site': 'same-origin',
      },
      body: JSON.stringify({ text: 'sent twice, stored once' }),
    })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ text: 'sent twice, stored once' })
    const list = await browser.get('/api/upstream/api/notes', XCSRF)
    const { notes } = (await list.json()) as { notes: { text: string }[] }
    expect(notes.filter((n) => n.text === 'sent twice, stored once')).toHaveLength(1)
  })

  it('stolen DPoP-bound access token replayed as bearer is rejected', async () => {
    const { adapter, browser } = await signedIn()
    const { accessToken } = await storedTokens(adapter, browser)
    const stolen = await fetch(`${env.DPOP_UPSTREAM_ORIGIN}/api/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    })
    expect(stolen.status).toBe(401)
    expect(stolen.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/)
  })

  it('stolen DPoP-bound access token with a proof of the thief key is rejected', async () => {
    const { adapter, browser } = await signedIn()
    const { accessToken } = await storedTokens(adapter, browser)
    const thief = await generateKeyPair('ES256', { extractable: true })
    const { SignJWT, base64url } = await import('jose')
    const ath = base64url.encode(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))),
    )
    const url = `${env.DPOP_UPSTREAM_ORIGIN}/api/me`
    const proof = await new SignJWT({ htm: 'GET', htu: url, jti: crypto.randomUUID(), ath })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(thief.publicKey) })
      .setIssuedAt()
      .sign(thief.privateKey)
    const response = await fetch(url, {
      headers: { authorization: `DPoP ${accessToken}`, dpop: proof },
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(
      /^DPoP error="(invalid_dpop_proof|use_dpop_nonce)"/,
    )
  })

  it('a DPoP header from the browser is never forwarded: the proof upstream is bezzie’s own', async () => {
    const { browser } = await signedIn()
    const response = await browser.get('/api/upstream/api/echo', {
      ...XCSRF,
      dpop: 'eyJhbGciOiJub25lIn0.e30.',
    })
    expect(response.status).toBe(200)
    const echo = (await response.json()) as { tokenType: string; headers: Record<string, string> }
    expect(echo.tokenType).toBe('DPoP')
    expect(echo.headers.dpop).toBe('<proof>')
  })

  it('refresh keeps working: the refreshed token is bound to the same key and accepted upstream', async () => {
    const { adapter, browser, clock } = await signedIn()
    const before = await storedTokens(adapter, browser)
    clock.advance(400_000)
    const response = await browser.get('/api/upstream/api/me', XCSRF)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ tokenType: 'DPoP' })
    const after = await storedTokens(adapter, browser)
    expect(after.accessToken).not.toBe(before.accessToken)
    expect(decodeJwt(after.accessToken).cnf).toEqual(decodeJwt(before.accessToken).cnf)
  })

  it('the client credentials token is DPoP-bound too', async () => {
    const { app } = dpopApp()
    const response = await app.fetch(new Request(`${BASE_URL}/service/api/me`))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ sub: CLIENT_ID, tokenType: 'DPoP' })
  })

  it('the generated key is kept in the store: another isolate over the same store binds to the same key', async () => {
    const adapter = new MemoryAdapter()
    const first = await signedIn(adapter)
    const jkt = decodeJwt((await storedTokens(adapter, first.browser)).accessToken).cnf
    clearDpopHandles()
    const second = await signedIn(adapter)
    expect(decodeJwt((await storedTokens(adapter, second.browser)).accessToken).cnf).toEqual(jkt)
  })

  it('concurrent first uses settle on one key (set-if-absent)', async () => {
    const adapter = new MemoryAdapter()
    const config = resolveConfig({
      issuer: env.IDP_DPOP_ISSUER,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      audience: AUDIENCE,
      adapter,
      baseUrl: BASE_URL,
      dpop: true,
    })
    const keys = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        new SessionStore(config).dpopKey(async () => JSON.stringify({ candidate: i })),
      ),
    )
    expect(new Set(keys).size).toBe(1)
  })

  it('uses a configured private key: the token is bound to its thumbprint', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    const jwk = await exportJWK(privateKey)
    const app = dpopApp(new MemoryAdapter(), { privateKey: jwk })
    await login(app.browser)
    const { accessToken } = await storedTokens(app.adapter, app.browser)
    const { d: _d, ...publicJwk } = jwk
    expect(decodeJwt(accessToken).cnf).toEqual({ jkt: await calculateJwkThumbprint(publicJwk) })
    const response = await app.browser.get('/api/upstream/api/me', XCSRF)
    expect(await response.json()).toMatchObject({ tokenType: 'DPoP' })
  })

  it('refuses a DPoP key without its public half, naming the option', () => {
    expect(() =>
      resolveConfig({
        issuer: env.IDP_DPOP_ISSUER,
        clientId: CLIENT_ID,
        adapter: new MemoryAdapter(),
        baseUrl: BASE_URL,
        dpop: { privateKey: { kty: 'EC', crv: 'P-256', d: 'AAAA' } },
      }),
    ).toThrow(ConfigError)
    expect(() =>
      resolveConfig({
        issuer: env.IDP_DPOP_ISSUER,
        clientId: CLIENT_ID,
        adapter: new MemoryAdapter(),
        baseUrl: BASE_URL,
        dpop: { privateKey: { kty: 'EC', crv: 'P-256', d: 'AAAA' } },
      }),
    ).toThrow(/dpop\.privateKey/)
  })
})

import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CookieJar } from '../src/cookie-jar.ts'
import { type Idp, startIdp } from '../src/index.ts'
import {
  authorizationRequest,
  CLIENT_ID,
  decodePayload,
  login,
  POST_LOGOUT_REDIRECT_URI,
  REDIRECT_URI,
  startLogoutReceiver,
  testClient,
  tokenRequest,
} from './helpers.ts'

/** A browser-like code flow keeping the IdP's session cookie in `jar`. */
async function browserLogin(idp: Idp, jar: CookieJar) {
  const request = authorizationRequest(idp.issuer)
  let url = new URL(request.url)
  let init: RequestInit = {}
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) },
      redirect: 'manual',
    })
    jar.store(url, response.headers.getSetCookie())
    const location = response.headers.get('location')
    if (location?.startsWith(REDIRECT_URI)) {
      const code = new URL(location).searchParams.get('code') ?? ''
      const { body } = await tokenRequest(idp.issuer, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: request.verifier,
      })
      return body
    }
    if (location) {
      url = new URL(location, url)
      init = {}
      continue
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(await response.text())?.[1] ?? ''
    url = new URL(action, url)
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: 'bezzie' }).toString(),
    }
  }
  throw new Error('login did not finish')
}

describe('logout', () => {
  let idp: Idp
  let receiver: Awaited<ReturnType<typeof startLogoutReceiver>>
  let jwks: ReturnType<typeof createRemoteJWKSet>
  beforeAll(async () => {
    receiver = await startLogoutReceiver()
    idp = await startIdp({
      clients: [
        testClient({
          backchannel_logout_uri: receiver.url,
          backchannel_logout_session_required: true,
        }),
      ],
    })
    jwks = createRemoteJWKSet(new URL(`${idp.issuer}/jwks`))
  })
  beforeEach(async () => {
    await idp.endSession('alice')
    await idp.endSession('bob')
    receiver.received.length = 0
    idp.resetCounts()
  })
  afterAll(async () => {
    await idp.stop()
    await receiver.close()
  })

  it('end_session redirects straight to the post_logout_redirect_uri, without a confirmation page', async () => {
    const jar = new CookieJar()
    const tokens = await browserLogin(idp, jar)
    const url = new URL(`${idp.issuer}/session/end`)
    url.search = new URLSearchParams({
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI,
      state: 'bye',
    }).toString()
    const response = await fetch(url, { headers: { cookie: jar.header(url) }, redirect: 'manual' })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${POST_LOGOUT_REDIRECT_URI}?state=bye`)
    jar.store(url, response.headers.getSetCookie())
    expect(jar.header(url)).not.toMatch(/_session=/)

    expect(idp.counts.end_session).toBe(1)
    expect(idp.counts.backchannel_logout).toBe(1)
    expect(receiver.received).toHaveLength(1)
  })

  it('end_session without an IdP session still redirects to the client', async () => {
    const url = new URL(`${idp.issuer}/session/end`)
    url.search = new URLSearchParams({
      client_id: CLIENT_ID,
      post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI,
    }).toString()
    const response = await fetch(url, { redirect: 'manual' })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(POST_LOGOUT_REDIRECT_URI)
  })

  it('refuses an unregistered post_logout_redirect_uri (open redirect)', async () => {
    const url = new URL(`${idp.issuer}/session/end`)
    url.search = new URLSearchParams({
      client_id: CLIENT_ID,
      post_logout_redirect_uri: 'https://evil.example/',
    }).toString()
    const response = await fetch(url, { redirect: 'manual' })
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    expect(await response.text()).toContain('post_logout_redirect_uri not registered')
  })

  it('endSession(sub) delivers a verifiable logout_token with the session sid', async () => {
    const tokens = await login(idp.issuer, 'alice')
    await idp.endSession('alice')
    expect(receiver.received).toHaveLength(1)
    const logoutToken = receiver.received[0]?.get('logout_token') ?? ''
    const { payload, protectedHeader } = await jwtVerify(logoutToken, jwks, {
      issuer: idp.issuer,
      audience: CLIENT_ID,
    })
    expect(protectedHeader.typ).toBe('logout+jwt')
    expect(payload.sub).toBe('alice')
    expect(payload.sid).toBe(decodePayload(tokens.id_token ?? '').sid)
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} })
    expect(payload).not.toHaveProperty('nonce')
    expect(idp.counts.backchannel_logout).toBe(1)
  })

  it('keeps offline_access refresh tokens valid after the IdP session ends (OIDC Core §11)', async () => {
    const tokens = await login(idp.issuer, 'alice')
    await idp.endSession('alice')
    const refreshed = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    })
    expect(refreshed.status).toBe(200)
  })

  it("endSession(sub) leaves other users' sessions alone", async () => {
    const bob = await login(idp.issuer, 'bob')
    await idp.endSession('alice')
    const refreshed = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: bob.refresh_token ?? '',
    })
    expect(refreshed.status).toBe(200)
    expect(receiver.received).toHaveLength(0)
  })
})

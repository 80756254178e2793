import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { driveLogin, type Idp, startIdp } from '../src/index.ts'
import {
  authorizationRequest,
  CLIENT_ID,
  CLIENT_SECRET,
  login,
  REDIRECT_URI,
  testClient,
  tokenRequest,
} from './helpers.ts'

const RESOURCE = 'https://api.test.local'

describe('authorization code flow', () => {
  let idp: Idp
  let jwks: ReturnType<typeof createRemoteJWKSet>
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient()], accessTokenTtl: 3, resource: RESOURCE })
    jwks = createRemoteJWKSet(new URL(`${idp.issuer}/jwks`))
  })
  afterAll(() => idp.stop())

  it('logs in with PKCE and no consent screen, redirecting to the redirect_uri with code, state and iss', async () => {
    const request = authorizationRequest(idp.issuer)
    const { callbackUrl } = await driveLogin(request.url, { username: 'alice', password: 'bezzie' })
    const callback = new URL(callbackUrl)
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI)
    expect(callback.searchParams.get('state')).toBe(request.state)
    expect(callback.searchParams.get('iss')).toBe(idp.issuer)
    expect(callback.searchParams.get('code')).toMatch(/^[\w-]{20,}$/)
  })

  it('driveLogin starts at a client route that redirects to the IdP', async () => {
    const request = authorizationRequest(idp.issuer)
    const client = createServer((_req, res) => {
      res.writeHead(302, { location: request.url, 'set-cookie': 'tx=1; Path=/; HttpOnly' }).end()
    })
    await new Promise<void>((resolve) => client.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = client.address() as AddressInfo
      const { callbackUrl } = await driveLogin(`http://localhost:${port}/auth/login`, {
        username: 'bob',
        password: 'bezzie',
      })
      expect(new URL(callbackUrl).searchParams.get('state')).toBe(request.state)
    } finally {
      client.close()
      client.closeAllConnections()
    }
  })

  it('issues an ID token verified against the JWKS with iss, aud, nonce, sid and the profile claims', async () => {
    const tokens = await login(idp.issuer, 'alice')
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token ?? '', jwks, {
      issuer: idp.issuer,
      audience: CLIENT_ID,
    })
    expect(protectedHeader.alg).toBe('RS256')
    expect(payload).toMatchObject({
      sub: 'alice',
      nonce: tokens.request.nonce,
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      email: 'alice@example.com',
      email_verified: true,
    })
    expect(payload.sid).toEqual(expect.any(String))
  })

  it('issues a JWT access token for the default resource that expires after accessTokenTtl', async () => {
    const tokens = await login(idp.issuer, 'bob')
    expect(tokens.expires_in).toBe(3)
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: idp.issuer,
      audience: RESOURCE,
    })
    expect(protectedHeader.typ).toBe('at+jwt')
    expect(payload.sub).toBe('bob')
    expect(payload.client_id).toBe(CLIENT_ID)
    expect(payload.scope).toBe('read:notes')
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3)
  })

  it('issues a refresh token when offline_access is asked for without prompt=consent', async () => {
    const tokens = await login(idp.issuer)
    expect(tokens.refresh_token).toEqual(expect.any(String))
  })

  it('issues no refresh token when offline_access is not asked for', async () => {
    const tokens = await login(idp.issuer, 'alice', { scope: 'openid profile' })
    expect(tokens.refresh_token).toBeUndefined()
  })

  it('accepts an explicit resource and an Auth0-style audience parameter', async () => {
    const variants: Record<string, string>[] = [{ resource: RESOURCE }, { audience: RESOURCE }]
    for (const params of variants) {
      const tokens = await login(idp.issuer, 'alice', params)
      const { payload } = await jwtVerify(tokens.access_token, jwks, { audience: RESOURCE })
      expect(payload.aud).toBe(RESOURCE)
    }
  })

  it('rejects an unknown resource', async () => {
    const request = authorizationRequest(idp.issuer, { resource: 'https://evil.example' })
    const response = await fetch(request.url, { redirect: 'manual' })
    const location = new URL(response.headers.get('location') ?? '')
    expect(location.searchParams.get('error')).toBe('invalid_target')
  })

  it('refuses an authorization request without PKCE (downgrade attack)', async () => {
    const request = authorizationRequest(idp.issuer)
    const url = new URL(request.url)
    url.searchParams.delete('code_challenge')
    url.searchParams.delete('code_challenge_method')
    const response = await fetch(url, { redirect: 'manual' })
    const location = new URL(response.headers.get('location') ?? '')
    expect(location.searchParams.get('error')).toBe('invalid_request')
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/)
  })

  it('refuses a code exchange with the wrong code_verifier (stolen code)', async () => {
    const request = authorizationRequest(idp.issuer)
    const { callbackUrl } = await driveLogin(request.url, { username: 'alice', password: 'bezzie' })
    const { status, body } = await tokenRequest(idp.issuer, {
      grant_type: 'authorization_code',
      code: new URL(callbackUrl).searchParams.get('code') ?? '',
      redirect_uri: REDIRECT_URI,
      code_verifier: 'x'.repeat(43),
    })
    expect(status).toBe(400)
    expect(body.error).toBe('invalid_grant')
  })

  it('authenticates the client with client_secret_post too', async () => {
    const request = authorizationRequest(idp.issuer)
    const { callbackUrl } = await driveLogin(request.url, { username: 'alice', password: 'bezzie' })
    const response = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: new URL(callbackUrl).searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        code_verifier: request.verifier,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    })
    expect(response.status).toBe(200)
  })
})

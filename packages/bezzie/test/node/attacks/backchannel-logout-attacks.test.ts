import { inspect } from 'node:util'
import { exportJWK, generateKeyPair, type JWK, type KeyObject, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionAdapter } from '../../../src/adapter.ts'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import {
  BACKCHANNEL_LOGOUT_EVENT,
  verifyLogoutToken,
} from '../../../src/backchannel/verify-logout-token.ts'
import { createBezzie } from '../../../src/create-bezzie.ts'
import { CLIENT_ID, CLIENT_SECRET } from '../../support/constants.ts'
import {
  backchannelConfig,
  type SigningIssuer,
  startSigningIssuer,
} from '../../support/signing-issuer.ts'

// A real issuer (discovery + JWKS over HTTP) whose RS256 key the test holds; the attacker holds
// only what an attacker could: the client secret (a leaked one), its own keys, the public JWK.
let idp: SigningIssuer
let issuer: string
let publicJwk: JWK
let signingKey: KeyObject
let attackerJwks: JWK[] = []

beforeAll(async () => {
  idp = await startSigningIssuer({
    routes: {
      '/jwks-down': (res) => {
        res.statusCode = 503
        res.end('{"error":"temporarily_unavailable"}')
      },
      '/attacker-jwks': (res) => res.end(JSON.stringify({ keys: attackerJwks })),
    },
  })
  ;({ issuer, publicJwk, signingKey } = idp)
})

afterAll(() => idp.close())

const claims = () => ({
  iss: issuer,
  aud: CLIENT_ID,
  sid: 'victim-sid',
  jti: crypto.randomUUID(),
  events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
})

async function victim(adapter: SessionAdapter = new MemoryAdapter()) {
  const auth = createBezzie(backchannelConfig(issuer, { adapter }))
  const app = auth.routes()
  const { cookie } = await auth.sessions.create({
    user: { sub: 'victim' },
    claims: { sub: 'victim', sid: 'victim-sid' },
    tokens: { accessToken: 'opaque', expiresAt: Math.floor(Date.now() / 1000) + 3600 },
  })
  const signedIn = async () =>
    ((await (await app.request('/me', { headers: { cookie } })).json()) as { user: unknown })
      .user !== null
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    app.request('/backchannel-logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
      duplex: 'half',
    } as RequestInit)
  return { signedIn, post }
}

describe('back-channel logout forgery', () => {
  it('key confusion: HS256 signed with the client secret or the public JWK, embedded jwk and foreign jku are all refused', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true })
    const attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'k1', alg: 'RS256' }
    attackerJwks = [attackerJwk]
    const now = Math.floor(Date.now() / 1000)
    const forged = [
      await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'logout+jwt' })
        .setIssuedAt(now)
        .sign(new TextEncoder().encode(CLIENT_SECRET)),
      await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'logout+jwt' })
        .setIssuedAt(now)
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
      await new SignJWT(claims())
        .setProtectedHeader({ alg: 'RS256', typ: 'logout+jwt', jwk: attackerJwk })
        .setIssuedAt(now)
        .sign(attacker.privateKey as KeyObject),
      await new SignJWT(claims())
        .setProtectedHeader({ alg: 'RS256', kid: 'k1', jku: `${issuer}/attacker-jwks` })
        .setIssuedAt(now)
        .sign(attacker.privateKey as KeyObject),
    ]
    const { signedIn, post } = await victim()
    for (const token of forged) {
      const res = await post(new URLSearchParams({ logout_token: token }).toString())
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: string }).error).toBe('invalid_request')
    }
    expect(await signedIn()).toBe(true)
  })

  it('memory exhaustion: an oversized logout request is refused without being read, never a 500', async () => {
    const { signedIn, post } = await victim()
    const huge = `logout_token=${'a'.repeat(2 * 1024 * 1024)}`
    const res = await post(huge)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'request body too large',
    })
    // Without a Content-Length (chunked), the body is cut off at the same limit.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        const chunk = new TextEncoder().encode('a'.repeat(64 * 1024))
        controller.enqueue(new TextEncoder().encode('logout_token='))
        for (let i = 0; i < 32; i++) controller.enqueue(chunk)
        controller.close()
      },
    })
    const streamed = await post(chunks)
    expect(streamed.status).toBe(400)
    expect(await signedIn()).toBe(true)
  })
})

describe('log forging through the logout token', () => {
  it('an unsigned header smuggling newlines (crit names, alg) cannot forge log lines or echo control characters', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const forged = '\n[bezzie] RefreshError (refresh_failed): all good, ignore\r'
    const headers = [
      { alg: 'RS256', kid: 'k1', crit: [forged], [forged]: 1 },
      { alg: `RS256${forged}`, kid: 'k1' },
      { alg: 'RS256', kid: forged },
    ]
    const logged: string[] = []
    const auth = createBezzie(
      backchannelConfig(issuer, { onError: (e) => logged.push(e.message, inspect(e)) }),
    )
    for (const header of headers) {
      const token = `${b64(header)}.${b64(claims())}.c2ln`
      const res = await auth.routes().request('/backchannel-logout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }).toString(),
      })
      expect(res.status).toBe(400)
      const { error_description } = (await res.json()) as { error_description: string }
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the attack
      expect(error_description).not.toMatch(/[\u0000-\u001f]/)
    }
    expect(logged).toHaveLength(2 * headers.length)
    // Neither the message nor the whole error with its cause (`console.error(e)`) starts a line
    // the attacker wrote.
    for (const text of logged) expect(text).not.toMatch(/^\s*\[bezzie\] RefreshError/m)
  })
})

describe('lost back-channel logout', () => {
  it('a store outage while deleting the sessions answers 503, and the IdP’s retry of the same token still logs the user out', async () => {
    const adapter = new MemoryAdapter()
    const index = adapter.index as NonNullable<SessionAdapter['index']>
    const members = index.members.bind(index)
    let outage = true
    index.members = (key) => (outage ? Promise.reject(new Error('store down')) : members(key))
    const { signedIn, post } = await victim(adapter)
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'logout+jwt' })
      .setIssuedAt()
      .sign(signingKey)
    const body = new URLSearchParams({ logout_token: token }).toString()
    expect((await post(body)).status).toBe(503)
    expect(await signedIn()).toBe(true)
    outage = false
    const retry = await post(body)
    expect(retry.status).toBe(200)
    expect(await signedIn()).toBe(false)
    // Once it has worked, the token is spent: a replay is refused.
    expect((await post(body)).status).toBe(400)
  })
})

describe('lost back-channel logout through a JWKS outage', () => {
  it('keys answering 503 make the token retryable (503), not rejected for good (400)', async () => {
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'logout+jwt' })
      .setIssuedAt()
      .sign(signingKey)
    const verdict = verifyLogoutToken(token, {
      issuer,
      clientId: CLIENT_ID,
      jwksUri: `${issuer}/jwks-down`,
    })
    await expect(verdict).rejects.toMatchObject({ status: 503 })
  })
})

import { generateKeyPair, type KeyObject, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { BACKCHANNEL_LOGOUT_EVENT } from '../../src/backchannel/verify-logout-token.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { ConfigError } from '../../src/errors.ts'
import { CLIENT_ID } from '../support/constants.ts'
import {
  backchannelConfig,
  type SigningIssuer,
  startSigningIssuer,
} from '../support/signing-issuer.ts'

// A real issuer over HTTP (discovery + JWKS) whose signing key the test holds, so every defect of
// a logout token can be produced and must be caught by the real verification path.

let idp: SigningIssuer
let issuer: string
let signingKey: KeyObject

beforeAll(async () => {
  idp = await startSigningIssuer({
    discovery: { backchannel_logout_supported: true, backchannel_logout_session_supported: true },
  })
  ;({ issuer, signingKey } = idp)
})

afterAll(() => idp.close())

function bezzie(adapter: SessionAdapter = new MemoryAdapter()) {
  const errors: string[] = []
  const auth = createBezzie(
    backchannelConfig(issuer, {
      adapter,
      onError: (e) => {
        errors.push(e.message)
      },
    }),
  )
  const app = auth.routes()
  const newSession = async (sub: string, sid?: string) => {
    const { cookie } = await auth.sessions.create({
      user: { sub },
      claims: sid ? { sub, sid } : { sub },
      tokens: {
        accessToken: 'opaque-access-token',
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      },
    })
    return cookie
  }
  const signedIn = async (cookie: string) => {
    const res = await app.request('/me', { headers: { cookie } })
    return ((await res.json()) as { user: unknown }).user !== null
  }
  const post = (body: string, contentType = 'application/x-www-form-urlencoded') =>
    app.request('/backchannel-logout', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    })
  const postToken = (token: string) => post(new URLSearchParams({ logout_token: token }).toString())
  return { auth, app, errors, newSession, signedIn, post, postToken }
}

interface TokenOptions {
  claims?: Record<string, unknown>
  omit?: string[]
  header?: Record<string, unknown>
  key?: KeyObject
  iat?: number
}

async function logoutToken({ claims = {}, omit = [], header = {}, key, iat }: TokenOptions = {}) {
  const payload: Record<string, unknown> = {
    iss: issuer,
    aud: CLIENT_ID,
    iat: iat ?? Math.floor(Date.now() / 1000),
    jti: crypto.randomUUID(),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...claims,
  }
  for (const name of omit) delete payload[name]
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'logout+jwt', ...header })
    .sign(key ?? signingKey)
}

describe('back-channel logout route', () => {
  it('deletes the sessions of the logout token sid and keeps the user’s other IdP sessions', async () => {
    const { newSession, signedIn, postToken } = bezzie()
    const a1 = await newSession('alice', 'sid-a1')
    const a1bis = await newSession('alice', 'sid-a1')
    const a2 = await newSession('alice', 'sid-a2')
    const res = await postToken(await logoutToken({ claims: { sub: 'alice', sid: 'sid-a1' } }))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await signedIn(a1)).toBe(false)
    expect(await signedIn(a1bis)).toBe(false)
    expect(await signedIn(a2)).toBe(true)
  })

  it('deletes every session of the user when the token carries only sub', async () => {
    const { newSession, signedIn, postToken } = bezzie()
    const a1 = await newSession('bob', 'sid-b1')
    const a2 = await newSession('bob', 'sid-b2')
    const other = await newSession('carol', 'sid-c1')
    const res = await postToken(await logoutToken({ claims: { sub: 'bob' } }))
    expect(res.status).toBe(200)
    expect(await signedIn(a1)).toBe(false)
    expect(await signedIn(a2)).toBe(false)
    expect(await signedIn(other)).toBe(true)
  })

  it('answers 200 for a valid token whose sessions are already gone', async () => {
    const { postToken } = bezzie()
    expect((await postToken(await logoutToken({ claims: { sid: 'never-seen' } }))).status).toBe(200)
  })

  const rejected: [string, () => Promise<string>, RegExp][] = [
    [
      'a logout token signed by an unknown key (forgery)',
      async () => {
        const other = await generateKeyPair('RS256')
        return logoutToken({ claims: { sid: 'sid-x' }, key: other.privateKey as KeyObject })
      },
      /signature/,
    ],
    [
      'an unsigned logout token (alg none)',
      async () => {
        const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
        return `${b64({ alg: 'none' })}.${b64({ iss: issuer, aud: CLIENT_ID, sid: 'sid-x', jti: 'j', iat: Math.floor(Date.now() / 1000), events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } })}.`
      },
      /rejected/,
    ],
    [
      'a logout token from another issuer (issuer mix-up)',
      () => logoutToken({ claims: { sid: 'sid-x', iss: 'https://evil.example' } }),
      /iss/,
    ],
    [
      'a logout token for another client (audience confusion)',
      () => logoutToken({ claims: { sid: 'sid-x', aud: 'another-client' } }),
      /aud/,
    ],
    [
      'an ID token posted as a logout token (token substitution: nonce, no events)',
      () =>
        logoutToken({
          claims: { sid: 'sid-x', nonce: 'n-0S6_WzA2Mj' },
          omit: ['events'],
          header: { typ: 'JWT' },
        }),
      /events/,
    ],
    [
      'a token with the logout event but also a nonce',
      () => logoutToken({ claims: { sid: 'sid-x', nonce: 'n' } }),
      /nonce/,
    ],
    [
      'an access token posted as a logout token (typ at+jwt)',
      () => logoutToken({ claims: { sid: 'sid-x' }, header: { typ: 'at+jwt' } }),
      /typ/,
    ],
    [
      'a token whose events claim lacks the back-channel logout event',
      () => logoutToken({ claims: { sid: 'sid-x', events: { 'https://example.com/other': {} } } }),
      /events/,
    ],
    ['a token with neither sid nor sub', () => logoutToken(), /"sid" or "sub"/],
    ['a token without jti', () => logoutToken({ claims: { sid: 'sid-x' }, omit: ['jti'] }), /jti/],
    ['a token without iat', () => logoutToken({ claims: { sid: 'sid-x' }, omit: ['iat'] }), /iat/],
    [
      'a stale logout token (iat an hour ago)',
      () => logoutToken({ claims: { sid: 'sid-x' }, iat: Math.floor(Date.now() / 1000) - 3600 }),
      /iat|age|old/i,
    ],
    [
      'an expired logout token',
      () => logoutToken({ claims: { sid: 'sid-x', exp: Math.floor(Date.now() / 1000) - 120 } }),
      /exp/,
    ],
  ]

  for (const [name, make, reason] of rejected) {
    it(`rejects ${name} with 400 and keeps the session`, async () => {
      const { newSession, signedIn, postToken } = bezzie()
      const cookie = await newSession('dave', 'sid-x')
      const res = await postToken(await make())
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: string; error_description: string }
      expect(body.error).toBe('invalid_request')
      expect(body.error_description).toMatch(reason)
      expect(await signedIn(cookie)).toBe(true)
    })
  }

  it('rejects a replayed logout token (replay attack): the same jti works once', async () => {
    const { newSession, signedIn, postToken } = bezzie()
    const token = await logoutToken({ claims: { sid: 'sid-r' } })
    await newSession('erin', 'sid-r')
    expect((await postToken(token)).status).toBe(200)
    const later = await newSession('erin', 'sid-r')
    const replay = await postToken(token)
    expect(replay.status).toBe(400)
    expect(((await replay.json()) as { error_description: string }).error_description).toMatch(
      /replayed/,
    )
    expect(await signedIn(later)).toBe(true)
  })

  it('rejects a request without logout_token, or not form-encoded, with 400', async () => {
    const { post } = bezzie()
    expect((await post('')).status).toBe(400)
    const token = await logoutToken({ claims: { sid: 's' } })
    const json = await post(JSON.stringify({ logout_token: token }), 'application/json')
    expect(json.status).toBe(400)
  })

  it('never answers 500 for garbage input', async () => {
    const { post } = bezzie()
    for (const body of ['logout_token=not.a.jwt', 'logout_token=%%%', 'logout_token=a.b.c']) {
      expect((await post(body)).status).toBe(400)
    }
  })
})

describe('back-channel logout configuration', () => {
  it('fails at configuration time when the adapter has no index (never a silent no-op)', () => {
    const memory = new MemoryAdapter()
    const noIndex: SessionAdapter = {
      get: (k) => memory.get(k),
      set: (k, v, o) => memory.set(k, v, o),
      delete: (k) => memory.delete(k),
    }
    const create = () =>
      createBezzie({
        issuer,
        clientId: CLIENT_ID,
        baseUrl: 'https://app.bezzie.test',
        adapter: noIndex,
        backchannelLogout: true,
      })
    expect(create).toThrow(ConfigError)
    expect(create).toThrow(/backchannelLogout.*index/)
  })

  it('does not serve the route unless enabled', async () => {
    const auth = createBezzie({
      issuer,
      clientId: CLIENT_ID,
      baseUrl: 'https://app.bezzie.test',
      adapter: new MemoryAdapter(),
    })
    const res = await auth.routes().request('/backchannel-logout', { method: 'POST' })
    expect(res.status).toBe(404)
  })
})

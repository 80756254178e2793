import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import type { SessionAdapter } from '../../../src/adapter.ts'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { createBezzie } from '../../../src/create-bezzie.ts'
import { resetRefreshState } from '../../../src/refresh.ts'
import { sessionKey } from '../../../src/session/keys.ts'
import { parseRecord } from '../../../src/session/record.ts'
import type { BezzieEnv } from '../../../src/types.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../../support/constants.ts'

// The token endpoint at the network boundary, answering each refresh the way a test sets: what a
// compromised or broken IdP (or something in front of it) could send. Discovery and JWKS are the
// real IdP's.
let server: Server
let tokenEndpoint: string
let answer: { status: number; headers?: Record<string, string>; body: string }
let calls = 0

const b64u = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const unsignedJwt = (claims: Record<string, unknown>) =>
  `${b64u({ alg: 'RS256', kid: 'not-a-key-of-this-idp' })}.${b64u(claims)}.c2lnbmF0dXJl`

beforeAll(async () => {
  server = createServer((req, res) => {
    calls++
    req.resume()
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      res.end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  tokenEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

afterEach(() => {
  resetRefreshState()
  calls = 0
})

async function expiredSession(
  adapter: SessionAdapter = new MemoryAdapter(),
  accessToken = unsignedJwt({ sub: 'alice' }),
) {
  const errors: string[] = []
  const auth = createBezzie({
    issuer: inject('idpIssuer'),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    baseUrl: BASE_URL,
    adapter,
    providerOverrides: { tokenEndpoint },
    onError: (e) => errors.push(e.code),
    timeouts: { storeMs: 300 },
  })
  const app = new Hono<BezzieEnv>()
  app.use('/api/*', auth.middleware())
  app.get('/api/whoami', (c) => c.json({ sub: c.var.user.sub }))
  const { id, cookie } = await auth.sessions.create({
    user: { sub: 'alice' },
    tokens: {
      // By default shaped like the JWT access tokens this IdP issues at login.
      accessToken,
      refreshToken: 'rt-1',
      expiresAt: Math.floor(Date.now() / 1000) - 10,
    },
  })
  const key = await sessionKey(id)
  const stored = async () => {
    const raw = await adapter.get(key)
    return raw === null ? null : parseRecord(raw)
  }
  const get = () => app.request('/api/whoami', { headers: { cookie } })
  return { get, stored, errors }
}

describe('refresh responses are checked before they are trusted', () => {
  it('sub substitution: a refresh response whose ID token names another user is refused and ends the session', async () => {
    const issuer = inject('idpIssuer')
    answer = {
      status: 200,
      body: JSON.stringify({
        access_token: unsignedJwt({ sub: 'mallory' }),
        token_type: 'Bearer',
        refresh_token: 'rt-of-mallory',
        expires_in: 300,
        id_token: unsignedJwt({ iss: issuer, aud: CLIENT_ID, sub: 'mallory' }),
      }),
    }
    const { get, stored, errors } = await expiredSession()
    expect((await get()).status).toBe(401)
    expect(await stored()).toBeNull()
    expect(errors).toContain('refresh_token_invalid')
  })

  it('a non-JWT access token where the IdP issued JWTs is not stored (and never logs out)', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({ access_token: 'opaque', token_type: 'Bearer', refresh_token: 'rt-2' }),
    }
    const { get, stored } = await expiredSession()
    const res = await get()
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
    // Malformed is ambiguous (the IdP may have rotated): the same token was tried once more.
    expect(calls).toBe(2)
    expect((await stored())?.tokens.refreshToken).toBe('rt-1')
  })

  it('a 200 whose access token cannot be verified (unknown kid) keeps the new refresh token and answers 503', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({
        access_token: unsignedJwt({ sub: 'alice' }),
        token_type: 'Bearer',
        refresh_token: 'rt-new',
        expires_in: 300,
      }),
    }
    const { get, stored } = await expiredSession()
    expect((await get()).status).toBe(503)
    const record = await stored()
    expect(record?.tokens.refreshToken).toBe('rt-new')
    expect(record?.accessTokenUnverified).toBe(true)
  })

  it('429 with Retry-After: the session backs off (one IdP call for ten requests) and says how long', async () => {
    answer = {
      status: 429,
      headers: { 'retry-after': '7' },
      body: JSON.stringify({ error: 'slow_down' }),
    }
    const { get, stored } = await expiredSession()
    const statuses: number[] = []
    let retryAfter = ''
    for (let i = 0; i < 10; i++) {
      const res = await get()
      statuses.push(res.status)
      retryAfter = res.headers.get('retry-after') ?? ''
    }
    expect(statuses).toEqual(Array(10).fill(503))
    expect(calls).toBe(1)
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(5)
    expect(Number(retryAfter)).toBeLessThanOrEqual(7)
    expect((await stored())?.tokens.refreshToken).toBe('rt-1')
  })
})

describe('time limits around the refresh', () => {
  const opaqueAnswer = () => ({
    status: 200,
    body: JSON.stringify({ access_token: 'opaque-2', token_type: 'Bearer', expires_in: 300 }),
  })

  it('a lock call that never answers costs one bounded 503, never wedges the session, and heals', async () => {
    answer = opaqueAnswer()
    const inner = new MemoryAdapter()
    const state = { hang: true }
    const adapter: SessionAdapter = {
      get: (k) => inner.get(k),
      set: (k, v, o) => inner.set(k, v, o),
      delete: (k) => inner.delete(k),
      compareAndSet: (k, e, v, o) => inner.compareAndSet(k, e, v, o),
      lock: (k, ttl) => (state.hang ? new Promise(() => {}) : inner.lock(k, ttl)),
    }
    const { get, errors } = await expiredSession(adapter, 'opaque-1')
    for (let i = 0; i < 2; i++) {
      const started = Date.now()
      const res = await get()
      expect(res.status).toBe(503)
      expect(Date.now() - started).toBeLessThan(1300)
    }
    expect(errors).toContain('store_failed')
    state.hang = false
    expect((await get()).status).toBe(200)
  })

  it('a lock release that throws after a successful refresh is reported, not a 500', async () => {
    answer = opaqueAnswer()
    const inner = new MemoryAdapter()
    const adapter: SessionAdapter = {
      get: (k) => inner.get(k),
      set: (k, v, o) => inner.set(k, v, o),
      delete: (k) => inner.delete(k),
      compareAndSet: (k, e, v, o) => inner.compareAndSet(k, e, v, o),
      lock: async (k, ttl) => {
        const handle = await inner.lock(k, ttl)
        return handle && { release: () => Promise.reject(new Error('ECONNRESET')) }
      },
    }
    const { get, stored, errors } = await expiredSession(adapter, 'opaque-1')
    expect((await get()).status).toBe(200)
    expect((await stored())?.tokens.accessToken).toBe('opaque-2')
    expect(errors).toContain('store_failed')
  })
})

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hono } from 'hono'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { clearDiscoveryCache, primeDiscovery } from '../../src/oidc/discovery.ts'
import { verifiedRecently } from '../../src/oidc/jwks.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'

// A JWKS endpoint holding the key the tokens below are signed with; `down` makes it answer 503.
let server: Server
let jwksUri: string
let down = false
let jwksFetches = 0
const { privateKey, publicKey } = await generateKeyPair('RS256')
const jwk = { ...(await exportJWK(publicKey)), kid: 'memo-key', alg: 'RS256', use: 'sig' }

beforeAll(async () => {
  server = createServer((_req, res) => {
    jwksFetches++
    res.writeHead(down ? 503 : 200, { 'content-type': 'application/json' })
    res.end(down ? '{"error":"temporarily_unavailable"}' : JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

afterEach(() => {
  vi.useRealTimers()
  clearDiscoveryCache()
  down = false
})

async function setup(tokenLifetime: string) {
  const issuer = inject('idpIssuer')
  const metadata = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()
  primeDiscovery({ ...(metadata as Parameters<typeof primeDiscovery>[0]), jwks_uri: jwksUri })
  const auth = createBezzie({
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    baseUrl: BASE_URL,
    adapter: new MemoryAdapter(),
    validateAccessToken: true,
    // The memo's own 5 s allowance is what these tests probe; keep jose's check as tight.
    clockToleranceSeconds: 5,
    onError: () => {},
  })
  const app = new Hono<BezzieEnv>()
  app.use('/api/*', auth.middleware())
  app.get('/api/whoami', (c) => c.json({ sub: c.var.user.sub }))
  const accessToken = await new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'RS256', kid: 'memo-key' })
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(tokenLifetime)
    .sign(privateKey)
  // The session believes its token lives a day, so no refresh interferes: only the JWT's own
  // `exp` can end it.
  const { cookie } = await auth.sessions.create({
    user: { sub: 'alice' },
    tokens: { accessToken, expiresAt: Math.floor(Date.now() / 1000) + 86_400 },
  })
  const get = () => app.request(`${BASE_URL}/api/whoami`, { headers: { cookie } })
  return { get, accessToken, scope: `${new URL(issuer).href} ${AUDIENCE}` }
}

describe('verified access-token memo (validateAccessToken)', () => {
  it('verifies a token once, then trusts it for its issuer and audience only', async () => {
    const { get, accessToken, scope } = await setup('1h')
    expect(verifiedRecently(accessToken, scope)).toBe(false)
    expect((await get()).status).toBe(200)
    expect(verifiedRecently(accessToken, scope)).toBe(true)
    expect(
      verifiedRecently(accessToken, scope.replace(AUDIENCE, 'https://another-api.example')),
    ).toBe(false)
    expect(verifiedRecently(accessToken, `https://another-issuer.example/ ${AUDIENCE}`)).toBe(false)
    const fetches = jwksFetches
    for (let i = 0; i < 5; i++) expect((await get()).status).toBe(200)
    expect(jwksFetches).toBe(fetches)
  })

  it('expired token replay: the memo never skips exp — a remembered token is refused once it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    const { get, accessToken, scope } = await setup('60s')
    expect((await get()).status).toBe(200)
    expect(verifiedRecently(accessToken, scope)).toBe(true)
    // Inside the 5 s clock tolerance it still passes, as jose's own check does.
    vi.setSystemTime(Date.now() + 63_000)
    expect((await get()).status).toBe(200)
    vi.setSystemTime(Date.now() + 10_000)
    expect(verifiedRecently(accessToken, scope)).toBe(false)
    expect((await get()).status).toBe(401)
  })

  it('the memo expires with the key set: once the JWKS cache is stale an outage is noticed (503) as before', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    const { get } = await setup('2h')
    expect((await get()).status).toBe(200)
    down = true
    expect((await get()).status).toBe(200)
    vi.setSystemTime(Date.now() + 11 * 60 * 1000)
    const res = await get()
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBeTruthy()
  })
})

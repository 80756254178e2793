import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hono } from 'hono'
import { generateKeyPair, SignJWT } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { createBezzie } from '../../../src/create-bezzie.ts'
import { clearDiscoveryCache, primeDiscovery } from '../../../src/oidc/discovery.ts'
import type { BezzieEnv } from '../../../src/types.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../../support/constants.ts'

// A JWKS endpoint that is down (503), standing in for an IdP outage, and later back up with keys
// that do not match the token.
let jwks: Server
let jwksUri: string
let down = true

beforeAll(async () => {
  jwks = createServer((_req, res) => {
    res.writeHead(down ? 503 : 200, { 'content-type': 'application/json' })
    res.end(down ? '{"error":"temporarily_unavailable"}' : '{"keys":[]}')
  })
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve))
  jwksUri = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`
})

afterAll(async () => {
  jwks.closeAllConnections()
  await new Promise((resolve) => jwks.close(resolve))
})

afterEach(() => clearDiscoveryCache())

describe('forced logout through a JWKS outage', () => {
  it('validateAccessToken: an unreachable JWKS is a 503, not a 401 that the SPA reads as "logged out"', async () => {
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
    })
    const app = new Hono<BezzieEnv>()
    app.use('/api/*', auth.middleware())
    app.get('/api/whoami', (c) => c.json({ sub: c.var.user.sub }))
    const { privateKey } = await generateKeyPair('RS256')
    const accessToken = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey)
    const { cookie } = await auth.sessions.create({
      user: { sub: 'alice' },
      tokens: { accessToken, expiresAt: Math.floor(Date.now() / 1000) + 3600 },
    })
    const get = () => app.request('/api/whoami', { headers: { cookie } })

    const outage = await get()
    expect(outage.status).toBe(503)
    expect(outage.headers.get('retry-after')).toBeTruthy()

    // With the keys reachable, a token they do not verify is refused for real.
    down = false
    expect((await get()).status).toBe(401)
  })
})

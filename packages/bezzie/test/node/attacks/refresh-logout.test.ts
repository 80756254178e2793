import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { createBezzie } from '../../../src/create-bezzie.ts'
import { resetRefreshState } from '../../../src/refresh.ts'
import type { BezzieEnv } from '../../../src/types.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../../support/constants.ts'

// A token endpoint (standing in for a failing IdP or a gateway in front of it) that answers every
// refresh with `status` and an OAuth `invalid_grant` body.
let server: Server
let tokenEndpoint: string
let status = 502

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'upstream failure' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  tokenEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`
})

// Every test starts without the backoff an earlier failure left in this process.
afterEach(() => resetRefreshState())

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

async function expiredSession() {
  const auth = createBezzie({
    issuer: inject('idpIssuer'),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    baseUrl: BASE_URL,
    adapter: new MemoryAdapter(),
    providerOverrides: { tokenEndpoint },
  })
  const app = new Hono<BezzieEnv>()
  app.use('/api/*', auth.middleware())
  app.get('/api/whoami', (c) => c.json({ sub: c.var.user.sub }))
  app.route('/auth', auth.routes())
  const { cookie } = await auth.sessions.create({
    user: { sub: 'alice' },
    tokens: {
      accessToken: 'expired-access-token',
      refreshToken: 'refresh-token',
      expiresAt: Math.floor(Date.now() / 1000) - 10,
    },
  })
  const get = (path: string) => app.request(path, { headers: { cookie } })
  return { get }
}

describe('forced logout through refresh failures', () => {
  it('a 5xx carrying an invalid_grant body is an outage (503 + Retry-After), not a logout', async () => {
    for (const failing of [500, 502, 503]) {
      status = failing
      const { get } = await expiredSession()
      const res = await get('/api/whoami')
      expect(res.status, String(failing)).toBe(503)
      expect(res.headers.get('retry-after')).toBeTruthy()
      const me = (await (await get('/auth/me')).json()) as { user: unknown }
      expect(me.user, String(failing)).not.toBeNull()
    }
  })

  it('a definitive 400 invalid_grant still ends the session', async () => {
    status = 400
    const { get } = await expiredSession()
    expect((await get('/api/whoami')).status).toBe(401)
    expect(((await (await get('/auth/me')).json()) as { user: unknown }).user).toBeNull()
  })
})

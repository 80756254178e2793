import type { Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Idp } from '@bezzie/idp'
import { startIdpForBff } from '@bezzie/test-support/idp'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { redisAdapter } from '../../src/redis.ts'
import { sessionKey } from '../../src/session/keys.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { Browser } from '../support/browser.ts'
import { isCounted } from '../support/config.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'
import { idpCounts, login } from '../support/login.ts'
import { hasRedis, useRedisServer } from './stores/redis-fixture.ts'

// End to end: the BFF listens on a real port so the real IdP (apps/idp) can deliver the logout
// token itself; ending the user's session at the IdP must end the BFF session.

type Server = ReturnType<typeof serve>
let server: Server
let idp: Idp
let handler: (req: Request) => Response | Promise<Response> = () =>
  new Response(null, { status: 503 })

beforeAll(async () => {
  server = serve({ fetch: (req) => handler(req), port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const port = (server.address() as AddressInfo).port
  idp = await startIdpForBff(
    {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      origins: [BASE_URL],
      backchannelLogoutUri: `http://127.0.0.1:${port}/auth/backchannel-logout`,
    },
    { resource: AUDIENCE },
  )
})

afterAll(async () => {
  await idp?.stop()
  ;(server as HttpServer | undefined)?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
})

function bffWith(adapter: SessionAdapter) {
  const errors: string[] = []
  const auth = createBezzie({
    issuer: idp.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    baseUrl: BASE_URL,
    adapter,
    backchannelLogout: true,
    onError: (e) => {
      if (isCounted(e)) errors.push(`${e.code}: ${e.message}`)
    },
  })
  const app = new Hono<BezzieEnv>()
  app.route('/auth', auth.routes())
  app.use('/api/*', auth.middleware())
  app.get('/api/whoami', (c) => c.json({ sub: c.var.user.sub }))
  handler = (req) => app.fetch(req)
  return { app, errors }
}

async function endToEnd(adapter: SessionAdapter) {
  const { app, errors } = bffWith(adapter)
  const browser = new Browser((req) => app.fetch(req))
  await login(browser)
  const me = (await (await browser.get('/auth/me')).json()) as { user: { sub: string } | null }
  expect(me.user?.sub).toBeTruthy()
  expect((await browser.get('/api/whoami')).status).toBe(200)

  // The session holds a refresh token, yet the IdP, which ended the session itself, is not
  // called back to revoke it while it waits for the BFF's answer.
  const key = await sessionKey(browser.cookies.get('__Host-session') as string)
  expect(JSON.parse((await adapter.get(key)) as string).tokens.refreshToken).toBeTruthy()
  const revocations = (await idpCounts(idp.issuer)).revocation ?? 0
  const sent = (await idpCounts(idp.issuer)).backchannel_logout ?? 0
  const res = await fetch(`${idp.issuer}/__idp/end-session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: me.user?.sub }),
  })
  // 204 means the IdP delivered the logout token and the BFF answered 200.
  expect(res.status).toBe(204)
  expect((await idpCounts(idp.issuer)).backchannel_logout).toBe(sent + 1)
  expect(errors).toEqual([])
  expect((await idpCounts(idp.issuer)).revocation ?? 0).toBe(revocations)

  const after = (await (await browser.get('/auth/me')).json()) as { user: unknown }
  expect(after.user).toBeNull()
  expect((await browser.get('/api/whoami', { accept: 'application/json' })).status).toBe(401)
}

describe('back-channel logout end to end with apps/idp', () => {
  it('ending the user’s IdP session deletes the BFF session without revoking back at the IdP (memory store)', async () => {
    await endToEnd(new MemoryAdapter())
  })

  describe.runIf(hasRedis)('on Redis', () => {
    const redis = useRedisServer()
    let client: Redis | undefined
    afterAll(() => client?.disconnect())

    it('ending the user’s IdP session deletes the BFF session (Redis through ioredis)', async () => {
      client = new Redis(redis.url)
      await endToEnd(redisAdapter(client))
    })
  })
})

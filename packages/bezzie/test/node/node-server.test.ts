import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createBezzie } from '../../src/create-bezzie.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { Browser } from '../support/browser.ts'
import { testConfig } from '../support/config.ts'
import { login } from '../support/login.ts'

// The same library, unchanged, on Node under @hono/node-server, against the real IdP.
describe('on Node with @hono/node-server', () => {
  let server: ServerType
  let origin: string

  beforeAll(async () => {
    const auth = createBezzie(
      testConfig(inject('idpIssuer'), {
        secret: 'n'.repeat(40),
      }),
    )
    const app = new Hono<BezzieEnv>()
    app.route('/auth', auth.routes())
    app.use('/api/*', auth.middleware())
    app.get('/api/whoami', (c) => c.json({ sub: c.var.user.sub }))
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
    })
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('logs in, reads /me, calls the API and logs out over real HTTP', async () => {
    // The browser talks to the Node server; URLs keep the app's public origin (baseUrl).
    const browser = new Browser((req) => {
      const url = new URL(req.url)
      return fetch(`${origin}${url.pathname}${url.search}`, {
        method: req.method,
        headers: req.headers,
        redirect: 'manual',
      })
    })
    const { response } = await login(browser)
    expect(response.status).toBe(302)
    const me = (await (await browser.get('/auth/me')).json()) as { user: { sub: string } }
    expect(me.user.sub).toBeTruthy()
    expect(await (await browser.get('/api/whoami')).json()).toEqual({ sub: me.user.sub })
    expect((await browser.post('/auth/logout')).status).toBe(303)
    expect((await browser.get('/api/whoami')).status).toBe(401)
  })
})

import { Hono } from 'hono'
import { type Clock, TEST_CLOCK } from '../../src/clock.ts'
import type { BezzieConfig } from '../../src/config.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { Browser } from './browser.ts'
import { isCounted } from './config.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from './constants.ts'

export type TestConfig = Partial<BezzieConfig> &
  Pick<BezzieConfig, 'issuer' | 'adapter'> & {
    /** Replaces the clock bezzie judges access-token expiry by (see test/support/clock.ts). */
    now?: Clock
  }

/**
 * A Worker-shaped app as the README wires it: `/auth` routes, `/api/*` behind the middleware,
 * `/api/whoami` echoing the user and whether a token was present (never the token itself).
 */
export function testApp({ now, ...config }: TestConfig) {
  const errors: { code: string; message: string }[] = []
  const full: BezzieConfig = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    baseUrl: BASE_URL,
    onError: (e) => {
      if (isCounted(e)) errors.push({ code: e.code, message: e.message })
    },
    ...config,
    ...(now && { [TEST_CLOCK]: now }),
  }
  const auth = createBezzie(full)
  const app = new Hono<BezzieEnv>()
  app.route('/auth', auth.routes())
  app.use('/api/*', auth.middleware())
  app.get('/api/whoami', (c) => c.json({ user: c.var.user, hasToken: !!c.var.accessToken }))
  app.post('/api/notes', (c) => c.json({ ok: true, sub: c.var.user.sub }))
  const browser = new Browser((req) => app.fetch(req))
  return { app, auth, browser, errors }
}

import type { SessionAdapter } from 'bezzie'
import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'

/** Where the floor keeps its copy of the real session record: keyed by the cookie value itself. */
export const floorKey = (id: string) => `floor:${id}`

type FloorEnv = { Variables: { user: { sub: string; email?: unknown } } }

/**
 * The physical floor of a store-backed session check, with nothing bezzie-specific: read the
 * `__Host-session` cookie, one `get` from the same store, `JSON.parse` of the real stored record
 * (a copy of a bezzie session, same bytes), `c.set('user', …)`. No hashing (the cookie value is the
 * key), no decryption, no expiry or refresh logic. Any session middleware costs at least this.
 */
export function floorApp(adapter: SessionAdapter): Hono<FloorEnv> {
  const app = new Hono<FloorEnv>()
  app.use('/api/*', async (c, next) => {
    const id = getCookie(c, 'session', 'host')
    const raw = id ? await adapter.get(floorKey(id)) : null
    if (raw === null) return c.json({ error: 'unauthorized' }, 401)
    c.set('user', (JSON.parse(raw) as { user: FloorEnv['Variables']['user'] }).user)
    await next()
  })
  app.get('/api/user', (c) => c.json({ user: { sub: c.var.user.sub, email: c.var.user.email } }))
  return app
}

import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'

/**
 * An in-process stand-in for the bezzie BFF's `/me` contract, used until the real routes land.
 */
export function createFakeBff() {
  const sessions = new Map<string, Record<string, unknown>>()
  const app = new Hono()
  app.get('/auth/me', (c) => {
    c.header('Cache-Control', 'no-store')
    const id = getCookie(c, '__Host-session')
    const user = id === undefined ? undefined : sessions.get(id)
    if (user === undefined) return c.json({ user: null })
    return c.json({ user, session: { expiresAt: 2_000_000_000, absoluteExpiresAt: 2_000_000_000 } })
  })
  app.all('/api/data', (c) => {
    const id = getCookie(c, '__Host-session')
    if (id === undefined || !sessions.has(id)) return c.json({ error: 'unauthorized' }, 401)
    return c.json({ ok: true, csrf: c.req.header('x-csrf') ?? null })
  })
  return {
    app,
    async seedSession(user: Record<string, unknown>): Promise<{ cookie: string }> {
      const id = crypto.randomUUID()
      sessions.set(id, user)
      return { cookie: `__Host-session=${id}` }
    },
    async endSessions(): Promise<void> {
      sessions.clear()
    },
  }
}

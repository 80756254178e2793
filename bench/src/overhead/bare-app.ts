import { Hono } from 'hono'

/** Baseline: the same route and JSON as the guarded apps, with no authentication at all. */
export function bareApp(): Hono {
  const app = new Hono()
  app.get('/api/user', (c) => c.json({ user: { sub: 'alice', email: 'alice@example.com' } }))
  return app
}

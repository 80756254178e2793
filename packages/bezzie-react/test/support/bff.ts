import { type BezzieEnv, createBezzie, MemoryAdapter } from 'bezzie'
import { Hono } from 'hono'

/** An issuer that is never contacted: `/me` and the API middleware need no IdP round trip. */
const UNUSED_ISSUER = 'http://127.0.0.1:9/'

/**
 * The real bezzie BFF, in-process: its routes at `/auth` over a memory adapter, and a protected
 * `/api/data` behind `auth.middleware()` that requires the `X-CSRF` header on unsafe requests
 * (unless `requireCsrfHeader` is false).
 * Sessions are seeded with `auth.sessions.create`, as an application's own tests would.
 */
export function createBff({ requireCsrfHeader = true }: { requireCsrfHeader?: boolean } = {}) {
  const auth = createBezzie({
    issuer: UNUSED_ISSUER,
    clientId: 'bezzie-react-tests',
    clientSecret: 'bezzie-react-tests-secret',
    baseUrl: 'http://localhost',
    adapter: new MemoryAdapter(),
    csrf: requireCsrfHeader ? { requireHeader: true } : {},
    onError: () => {},
  })
  const app = new Hono<BezzieEnv>()
  app.route('/auth', auth.routes())
  app.use('/api/*', auth.middleware())
  app.all('/api/data', (c) => c.json({ ok: true, sub: c.var.user.sub }))
  const subs = new Set<string>()
  return {
    app,
    /** Creates a session for `user`; resolves the cookie a browser would send. */
    async seedSession(user: {
      sub: string
      [claim: string]: unknown
    }): Promise<{ cookie: string }> {
      subs.add(user.sub)
      const { cookie } = await auth.sessions.create({
        user,
        tokens: {
          accessToken: `access-token-of-${user.sub}`,
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
        },
      })
      return { cookie }
    },
    /** Ends every seeded session server-side, as expiry or back-channel logout would. */
    async endSessions(): Promise<void> {
      for (const sub of subs) await auth.sessions.revoke({ sub })
      subs.clear()
    },
  }
}

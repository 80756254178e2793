import { createBezzie, providers } from 'bezzie'
import { Hono } from 'hono'
import { idpStatus } from './idp-status.ts'
import { logoutWhenIdpDown } from './logout-when-idp-down.ts'
import { hasSessionIndex, sessionAdapter } from './session-adapter.ts'
import { upstreamMe } from './upstream-me.ts'
import type { WorkerConfig } from './worker-config.ts'

/**
 * The BFF as the bezzie README wires it: `/auth/*` routes (plus `POST /auth/backchannel-logout`
 * with a store that has an index: KV with its coordinator, or the Durable Object store),
 * `GET /api/user` and `GET /api/idp-status` for anyone, everything else under `/api/*` behind
 * `auth.middleware()` and forwarded by `auth.proxy()` (`/api/me` with its upstream refusals
 * turned into a 502).
 */
export function createApp(env: Env, config: WorkerConfig): Hono {
  const preset =
    config.provider === 'auth0'
      ? providers.auth0(new URL(config.issuer).host)
      : providers.oidc(config.issuer)
  const auth = createBezzie({
    ...preset,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    audience: config.audience,
    baseUrl: config.baseUrl,
    adapter: sessionAdapter(env, config.sessionStore),
    ...(config.sessionSecret ? { secret: config.sessionSecret } : {}),
    defaultReturnTo: '/dashboard',
    scopes: config.scopes,
    tokens: { refreshBufferSeconds: config.refreshBufferSeconds },
    // Back-channel logout deletes sessions through the store's index: the Durable Object store's,
    // or KV's coordinator's (plain KV has none).
    logout: { backchannel: hasSessionIndex(env, config.sessionStore) },
    // Defence in depth on top of Fetch Metadata / Origin: a cross-site form or link can never
    // send a custom header. bezzie-react's fetch helper sends it on every method; logout, a form
    // POST, is exempt. everyMethod: GETs to /api/* need it too (auth.proxy() does that anyway).
    csrf: { requireHeader: 'X-CSRF', everyMethod: true },
    // DPoP (RFC 9449): tokens bound to the Worker's key, generated once and kept in the session
    // store; every upstream call carries a fresh proof. The dashboard shows which kind it sent.
    // (KV has no set-if-absent: for production on KV give the key, `dpop: { privateKey }`.)
    ...(config.dpop ? { dpop: true } : {}),
  })

  const app = new Hono()
  app.get('/health', (c) => c.json({ ok: true, service: 'bezzie-worker' }))
  // Registered first, so it sees the logout route's answer: with the IdP down, stay on this site.
  app.use('/auth/logout', logoutWhenIdpDown(config.issuer, new URL('/', config.baseUrl).href))
  app.route('/auth', auth.routes())
  // Registered before the `/api/*` guard: answering here ends the chain, so anonymous callers
  // get `{ user: null }` instead of a 401.
  app.get('/api/user', auth.optionalMiddleware(), (c) => c.json({ user: c.var.user }))
  app.get('/api/idp-status', idpStatus(config.issuer))
  app.use('/api/*', auth.middleware())
  // The dashboard's call gives up sooner (5 s) than the general proxy (its default 10 s).
  app.get('/api/me', upstreamMe(auth.proxy({ upstream: config.upstreamUrl, timeoutMs: 5_000 })))
  app.all('/api/*', auth.proxy({ upstream: config.upstreamUrl }))
  return app
}

import { type Handler, Hono, type MiddlewareHandler } from 'hono'
import { type BezzieConfig, resolveConfig } from './config.ts'
import { ConfigMemo } from './config-memo.ts'
import { type RequireOptions, requireGuard } from './guards/require.ts'
import { optionalSession, requireSession } from './middleware.ts'
import { publicJwks } from './oidc/client-auth.ts'
import { createProxy, type ProxyOptions } from './proxy.ts'
import { backchannelLogoutHandler } from './routes/backchannel-logout.ts'
import { callbackHandler } from './routes/callback.ts'
import { loginHandler } from './routes/login.ts'
import { logoutGetHandler, logoutHandler } from './routes/logout.ts'
import { meHandler } from './routes/me.ts'
import { listSessionsHandler, revokeSessionHandler } from './routes/sessions.ts'
import { createRuntime } from './runtime.ts'
import { type SessionsApi, sessionsApi } from './sessions.ts'
import { reportMisconfigurationOnce } from './startup-warnings.ts'
import { type ClientTokenRequest, clientCredentialsToken } from './tokens/client-credentials.ts'
import { proxyTokenResolver } from './tokens/proxy-token.ts'
import type { BezzieEnv, BezzieOptionalEnv } from './types.ts'

/** A configured bezzie instance. */
export interface Bezzie {
  /**
   * The auth routes, to mount with `app.route('/auth', auth.routes())`:
   * `GET /login`, `GET /callback`, `POST /logout` (`GET` → 405), `GET /me`, and
   * `POST /backchannel-logout` when `backchannelLogout` is on, `GET /sessions` and
   * `POST /sessions/revoke` ("your devices") when the adapter has an index, and `GET /jwks` (the public keys of
   * `clientPrivateKey`) when that is set.
   */
  routes(): Hono
  /**
   * Requires a session: sets `c.var.user` and `c.var.accessToken` (refreshed when within
   * `refreshBufferSeconds` of expiry). Without a session: 401 `{ "error": "unauthorized" }`, or a
   * 302 to login for a top-level browser navigation. Unsafe methods carrying the session cookie
   * are CSRF-checked (403 `csrf_failed`). IdP down with an expired token: 503 + `Retry-After`.
   */
  middleware(): MiddlewareHandler<BezzieEnv>
  /** Like {@link middleware} but never blocks: `c.var.user` / `c.var.accessToken` are `null` when signed out. */
  optionalMiddleware(): MiddlewareHandler<BezzieOptionalEnv>
  /**
   * An authorization guard to mount after {@link middleware}: required user claims (roles,
   * groups), granted scopes, and an authentication strength (`acr`) or recency (`maxAge`). A
   * failed claim or scope is 403 JSON; a too-weak or too-old sign-in is a step-up: navigations are
   * redirected to login with `acr_values` / `max_age`, other requests get 403
   * `insufficient_user_authentication`. Throws {@link ConfigError} for bad options.
   * @example
   * ```ts
   * app.use('/api/admin/*', auth.require({ claims: { roles: 'admin' }, acr: 'urn:mfa' }))
   * ```
   */
  require(options: RequireOptions): MiddlewareHandler
  /** A bearer-forwarding proxy handler to one upstream; mount after {@link middleware}. */
  proxy(options: ProxyOptions): Handler<BezzieEnv>
  /**
   * The app's own access token (OAuth 2.0 client credentials grant) for `resource` (default: the
   * configured `audience`), for calls made on the app's behalf rather than a user's. Cached per
   * isolate until `refreshBufferSeconds` before expiry; concurrent callers share one grant.
   * Rejects with {@link TokenRequestError} `client_credentials_failed`.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
   */
  clientToken(request?: ClientTokenRequest): Promise<string>
  /** Server-side session management (create for tests or custom logins, revoke by sid/sub). */
  sessions: SessionsApi
}

// Module (isolate) level: the seed's pattern calls createBezzie inside every request.
const instances = new ConfigMemo<Bezzie>(16)

/**
 * Creates a bezzie instance. Validates `config` up front (a {@link ConfigError} names the bad
 * option). Cheap enough to call per request: an isolate remembers the instances it built (up to
 * 16 configurations), so a call with the same settings and the very same adapter and hook
 * objects returns the earlier instance instead of validating again; discovery and JWKS are
 * cached per isolate too. Adapter helpers such as `cloudflareKVAdapter(env.SESSION_KV)` return
 * the same adapter for the same binding, and presets the same builders, so the seed's per-request
 * setup hits that memo.
 *
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps#name-backend-for-frontend-bff
 * @see https://www.rfc-editor.org/rfc/rfc9700 (OAuth 2.0 Security Best Current Practice)
 * @example
 * ```ts
 * const auth = createBezzie({
 *   ...providers.auth0('your-tenant.auth0.com'),
 *   clientId: 'xxx',
 *   clientSecret: env.AUTH0_CLIENT_SECRET,
 *   adapter: cloudflareKVAdapter(env.SESSION_KV),
 *   baseUrl: 'https://app.yourproject.com',
 * })
 * app.route('/auth', auth.routes())
 * app.use('/api/*', auth.middleware())
 * ```
 */
export function createBezzie(config: BezzieConfig): Bezzie {
  return instances.get(config, build)
}

function build(config: BezzieConfig): Bezzie {
  const resolved = resolveConfig(config)
  const rt = createRuntime(resolved)
  let required: MiddlewareHandler<BezzieEnv> | undefined
  let optional: MiddlewareHandler<BezzieOptionalEnv> | undefined
  return {
    routes() {
      const { login, callback, logout, me } = resolved.routes
      const app = new Hono()
      app.use(async (_c, next) => {
        reportMisconfigurationOnce(rt)
        await next()
      })
      app.get(login, loginHandler(rt))
      app.get(callback, callbackHandler(rt))
      app.post(logout, logoutHandler(rt))
      app.get(logout, logoutGetHandler())
      app.get(me, meHandler(rt))
      if (rt.store.hasIndex) {
        app.get(resolved.routes.sessions, listSessionsHandler(rt))
        app.post(`${resolved.routes.sessions}/revoke`, revokeSessionHandler(rt))
      }
      if (resolved.clientKeys.length > 0) {
        const jwks = publicJwks(resolved.clientKeys)
        app.get(resolved.routes.jwks, (c) => {
          // Short-lived: a rotation's new key must reach the IdP soon after it is deployed.
          c.header('Cache-Control', 'public, max-age=300')
          return c.json(jwks)
        })
      }
      if (resolved.logout.backchannel) {
        app.post(resolved.routes.backchannelLogout, backchannelLogoutHandler(rt))
      }
      return app
    },
    middleware: () => {
      required ??= requireSession(rt)
      return required
    },
    optionalMiddleware: () => {
      optional ??= optionalSession(rt)
      return optional
    },
    require: (options) => requireGuard(rt, options),
    proxy: (options) =>
      createProxy(options, resolved.origin, proxyTokenResolver(rt, options ?? {})),
    clientToken: (request) => clientCredentialsToken(resolved, request, rt.store),
    sessions: sessionsApi(rt),
  }
}

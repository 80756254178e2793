import type { Context } from 'hono'
import type { ResolvedConfig } from '../config.ts'
import { clearSessionCookie } from '../cookies.ts'
import { logoutCsrfViolation } from '../csrf.ts'
import { HookError } from '../errors.ts'
import { getOidc, type Oidc } from '../oidc/client.ts'
import { revokeRefreshToken } from '../oidc/revoke.ts'
import { asBezzieError, jsonError } from '../respond.ts'
import { safeReturnTo } from '../return-to.ts'
import type { Runtime } from '../runtime.ts'
import { type LoadedSession, loadSession } from '../session/load.ts'

/** Suggested `Retry-After` (in seconds) when the session store fails during logout. */
const STORE_RETRY_AFTER_SECONDS = 5

function storeUnavailable(c: Context): Response {
  return jsonError(c, 503, 'store_failed', 'the session store is unavailable; try again', {
    'Retry-After': String(STORE_RETRY_AFTER_SECONDS),
  })
}

/**
 * Where the IdP sends the browser back to: `baseUrl` + the request's `returnTo` when it passes the
 * same open-redirect rules as login's, else `baseUrl`.
 */
function postLogoutRedirectUri(
  c: Context,
  config: Pick<ResolvedConfig, 'postLogoutRedirectUri' | 'baseUrl'>,
): string {
  const returnTo = safeReturnTo(c.req.query('returnTo'))
  if (!returnTo) return config.postLogoutRedirectUri
  return new URL(returnTo, config.baseUrl).href
}

/** Where the browser goes after logout: override, preset, end_session_endpoint, else returnTo. */
function logoutLocation(
  config: ResolvedConfig,
  oidc: Oidc | undefined,
  returnTo: string,
  storedIdToken: string | undefined,
): string {
  const idToken = config.logout.idTokenHint ? storedIdToken : undefined
  const params = {
    clientId: config.clientId,
    returnTo,
    ...(idToken ? { idTokenHint: idToken } : {}),
  }
  const override = config.providerOverrides.logoutUrl
  if (typeof override === 'string') return override
  if (override) return override(params)
  if (config.buildLogoutUrl) return config.buildLogoutUrl(params)
  const endSession = oidc?.as.end_session_endpoint
  if (!endSession) return returnTo
  const url = new URL(endSession)
  if (idToken) url.searchParams.set('id_token_hint', idToken)
  url.searchParams.set('post_logout_redirect_uri', returnTo)
  url.searchParams.set('client_id', config.clientId)
  return url.href
}

/**
 * `POST /logout[?returnTo=/path]` (CSRF-checked by Fetch Metadata / `Origin`; never requires the
 * `csrf.requireHeader` header, because it is a form navigation): revokes the refresh token
 * (failure is reported, not fatal), deletes the session, clears the cookie and answers 303 to the
 * IdP's logout, which returns the browser to `baseUrl` + `returnTo` (or `baseUrl`). When the store
 * fails to read or delete the session it answers 503 `store_failed` with `Retry-After` and keeps
 * the cookie, so that retrying completes the logout.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export function logoutHandler(rt: Runtime) {
  return async function logout(c: Context): Promise<Response> {
    const { config } = rt
    const violation = logoutCsrfViolation(c, config)
    if (violation) return jsonError(c, 403, 'csrf_failed', `logout refused: ${violation}`)
    c.header('Cache-Control', 'no-store')
    let session: LoadedSession | null = null
    try {
      session = await loadSession(c, rt)
    } catch (e) {
      // Without the record there is nothing to revoke or delete: a redirect now would look like
      // a logout while the session lives on. Keep the cookie so that a retry can finish the job.
      rt.report(asBezzieError(e))
      return storeUnavailable(c)
    }
    let oidc: Oidc | undefined
    if (session) {
      try {
        oidc = await getOidc(config)
      } catch (e) {
        rt.report(asBezzieError(e))
      }
      const { key, record } = session
      if (oidc && record.tokens.refreshToken) {
        await revokeRefreshToken(rt, oidc, record.tokens.refreshToken)
      }
      try {
        await rt.store.delete(key, record)
      } catch (e) {
        // The session still exists: clearing the cookie would leave it alive and unreachable, so
        // that the user's retry could no longer end it. The refresh token is already revoked.
        rt.report(asBezzieError(e))
        return storeUnavailable(c)
      }
      try {
        await config.hooks.onLogout?.({ user: { ...record.user }, context: c })
      } catch (e) {
        rt.report(new HookError('onLogout', e))
      }
    }
    clearSessionCookie(c, config.cookie)
    const returnTo = postLogoutRedirectUri(c, rt.config)
    return c.redirect(
      logoutLocation(rt.config, oidc, returnTo, session?.record.tokens.idToken),
      303,
    )
  }
}

/** `GET /logout`: refused (405), because a link or image must not be able to log a user out. */
export function logoutGetHandler() {
  return function logoutGet(c: Context): Response {
    return jsonError(c, 405, 'method_not_allowed', 'log out with POST, not GET', { Allow: 'POST' })
  }
}

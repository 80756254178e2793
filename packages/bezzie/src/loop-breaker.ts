import type { ErrorCode } from '@bezzie/contract'
import type { Context } from 'hono'
import type { ResolvedConfig } from './config.ts'
import { readLoginFailedCookie } from './cookies.ts'
import { authorizationErrorCode } from './oidc/authorization-errors.ts'

/** What the page of a stopped automatic login says. */
export const LOGIN_STOPPED_MESSAGE =
  'Signing in at the identity provider did not complete, so you were not sent back there automatically.'

/**
 * The server-side loop breaker: the code of a login that just failed in this browser when this
 * request would otherwise send it back to the IdP without a person asking, else `null`.
 *
 * - `?auth_error=` in the URL: the callback just sent the browser here with an IdP error.
 * - The failed-login marker cookie (60 s, set by the callback) on a navigation that was not
 *   started by a click (`Sec-Fetch-User: ?1` marks user activation): a redirect or a script
 *   bouncing the browser to login again, even after it dropped `auth_error` from the URL.
 *
 * The code is allow-listed (an unknown one reads `idp_error`); a retry link is a click, so it
 * always goes through.
 */
export function failedLoginToStop(c: Context, cookie: ResolvedConfig['cookie']): ErrorCode | null {
  const fromUrl = new URL(c.req.url).searchParams.get('auth_error')
  if (fromUrl !== null) return authorizationErrorCode(fromUrl)
  const marker = readLoginFailedCookie(c, cookie)
  if (marker === undefined || c.req.header('sec-fetch-user') === '?1') return null
  return authorizationErrorCode(marker)
}

/**
 * {@link failedLoginToStop} for the login route itself, which a person's click also reaches: the
 * marker counts only when the browser sends Fetch Metadata (and so would mark a click with
 * `Sec-Fetch-User`); an older browser's login always proceeds, or its retry link could not work.
 */
export function failedLoginToStopAtLogin(
  c: Context,
  cookie: ResolvedConfig['cookie'],
): ErrorCode | null {
  const fromUrl = new URL(c.req.url).searchParams.get('auth_error')
  if (fromUrl !== null) return authorizationErrorCode(fromUrl)
  if (c.req.header('sec-fetch-mode') === undefined) return null
  return failedLoginToStop(c, cookie)
}

/** `path + search` of this request without `auth_error`, for a retry's `returnTo`. */
export function pathWithoutAuthError(c: Context): string {
  const url = new URL(c.req.url)
  url.searchParams.delete('auth_error')
  return url.pathname + url.search
}

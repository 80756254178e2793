import type { Context, MiddlewareHandler } from 'hono'
import { clearSessionCookie } from './cookies.ts'
import { csrfViolation, isSafeMethod } from './csrf.ts'
import { isNavigation } from './error-page.ts'
import { failedLoginToStop, LOGIN_STOPPED_MESSAGE, pathWithoutAuthError } from './loop-breaker.ts'
import { getOidc } from './oidc/client.ts'
import { accessTokenTrustedNow } from './oidc/tokens.ts'
import {
  ensureFreshTokens,
  needsRefresh,
  RETRY_AFTER_SECONDS,
  verifyStoredToken,
} from './refresh.ts'
import { asBezzieError, errorFailure, failure, jsonError, loginUrl } from './respond.ts'
import type { Runtime } from './runtime.ts'
import { rememberSession } from './session/current.ts'
import {
  hasMalformedSessionCookie,
  hasSessionCookie,
  type LoadedSession,
  loadSession,
  touchDue,
  touchSession,
} from './session/load.ts'
import { reportMisconfigurationOnce } from './startup-warnings.ts'
import { accessTokenGetter } from './tokens/resource-token.ts'
import type { BezzieEnv, BezzieOptionalEnv } from './types.ts'

type Resolved =
  | { kind: 'user'; session: LoadedSession }
  | { kind: 'anonymous'; clearCookie: boolean }
  | { kind: 'csrf'; reason: string }
  | { kind: 'unavailable'; retryAfterSeconds: number }

export { isNavigation } from './error-page.ts'

async function resolve(c: Context, rt: Runtime): Promise<Resolved> {
  reportMisconfigurationOnce(rt)
  if (!isSafeMethod(c.req.method) && hasSessionCookie(c, rt)) {
    const reason = csrfViolation(c, rt.config)
    if (reason) return { kind: 'csrf', reason }
  }
  const loaded = await loadSession(c, rt)
  if (!loaded) return { kind: 'anonymous', clearCookie: hasMalformedSessionCookie(c, rt) }
  // The steady state (token fresh, already verified, no touch due) completes without another await.
  let session = loaded
  if (needsRefresh(rt.config, loaded.record)) {
    const outcome = await ensureFreshTokens(rt, loaded)
    if (outcome.status === 'logged_out') return { kind: 'anonymous', clearCookie: true }
    if (outcome.status === 'unavailable') {
      return { kind: 'unavailable', retryAfterSeconds: outcome.retryAfterSeconds }
    }
    session = outcome.session
  }
  if (
    (rt.config.tokens.validateAccessToken || session.record.accessTokenUnverified) &&
    !accessTokenTrustedNow(rt.config, session.record)
  ) {
    const checked = await verifyOrRefresh(rt, session)
    if (checked.kind !== 'user') return checked
    session = checked.session
  }
  // Safe methods are checked only for a live session: without one there is nothing to reach.
  if (rt.config.csrf.everyMethod && isSafeMethod(c.req.method)) {
    const reason = csrfViolation(c, rt.config)
    if (reason) return { kind: 'csrf', reason }
  }
  if (touchDue(rt, session.record)) {
    const touched = await touchSession(rt, session)
    if (!touched) return { kind: 'anonymous', clearCookie: true }
    session = touched
  }
  return { kind: 'user', session }
}

/**
 * Verifies the session's access token. One that fails for good (signed by a key the IdP no longer
 * publishes, expired beyond the clock tolerance) gets one refresh before anyone sees a 401; keys
 * out of reach are an outage (503), never a 401 (which would read as "logged out").
 */
async function verifyOrRefresh(rt: Runtime, session: LoadedSession): Promise<Resolved> {
  const oidc = await getOidc(rt.config)
  let verdict = await verifyStoredToken(rt, oidc, session)
  let current = session
  if (verdict === 'invalid') {
    const refreshed = await ensureFreshTokens(rt, session, { force: true })
    if (refreshed.status === 'logged_out') return { kind: 'anonymous', clearCookie: true }
    if (refreshed.status === 'unavailable') {
      return { kind: 'unavailable', retryAfterSeconds: refreshed.retryAfterSeconds }
    }
    current = refreshed.session
    verdict = await verifyStoredToken(rt, oidc, current)
  }
  if (verdict === 'unreachable')
    return { kind: 'unavailable', retryAfterSeconds: RETRY_AFTER_SECONDS }
  if (verdict === 'invalid') return { kind: 'anonymous', clearCookie: false }
  return { kind: 'user', session: current }
}

/** Builds `auth.middleware()`; see {@link Bezzie.middleware}. */
export function requireSession(rt: Runtime): MiddlewareHandler<BezzieEnv> {
  return async function bezzie(c, next) {
    let result: Resolved
    try {
      result = await resolve(c, rt)
    } catch (e) {
      rt.report(asBezzieError(e))
      return errorFailure(c, rt.config, e, pathWithoutAuthError(c))
    }
    if (result.kind === 'csrf') {
      return failure(c, rt.config, 403, 'csrf_failed', result.reason, pathWithoutAuthError(c))
    }
    if (result.kind === 'unavailable') {
      const message = 'the identity provider is unavailable'
      return failure(c, rt.config, 503, 'idp_unavailable', message, pathWithoutAuthError(c), {
        'Retry-After': String(result.retryAfterSeconds),
      })
    }
    if (result.kind === 'anonymous') {
      if (result.clearCookie) clearSessionCookie(c, rt.config.cookie)
      if (isNavigation(c)) {
        // The loop breaker: an IdP error never leads back to the IdP without a person asking.
        const stopped = failedLoginToStop(c, rt.config.cookie)
        const retry = loginUrl(rt.config, pathWithoutAuthError(c))
        if (stopped !== null)
          return failure(c, rt.config, 401, stopped, LOGIN_STOPPED_MESSAGE, retry)
        c.header('Cache-Control', 'no-store')
        return c.redirect(retry, 302)
      }
      return jsonError(c, 401, 'unauthorized')
    }
    // A copy: the record is shared (frozen) by this session's later requests; the app may add to its user.
    c.set('user', { ...result.session.record.user })
    c.set('accessToken', result.session.record.tokens.accessToken)
    rememberSession(c, result.session)
    c.set('getAccessToken', accessTokenGetter(rt, result.session))
    await next()
  }
}

/** Builds `auth.optionalMiddleware()`; see {@link Bezzie.optionalMiddleware}. */
export function optionalSession(rt: Runtime): MiddlewareHandler<BezzieOptionalEnv> {
  return async function bezzieOptional(c, next) {
    let result: Resolved
    try {
      result = await resolve(c, rt)
    } catch (e) {
      rt.report(asBezzieError(e))
      result = { kind: 'anonymous', clearCookie: false }
    }
    if (result.kind === 'user') {
      c.set('user', { ...result.session.record.user })
      c.set('accessToken', result.session.record.tokens.accessToken)
      rememberSession(c, result.session)
      c.set('getAccessToken', accessTokenGetter(rt, result.session))
    } else {
      if (result.kind === 'anonymous' && result.clearCookie) clearSessionCookie(c, rt.config.cookie)
      c.set('user', null)
      c.set('accessToken', null)
      c.set('getAccessToken', null)
    }
    await next()
  }
}

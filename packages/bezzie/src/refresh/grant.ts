import type * as oauth from 'oauth4webapi'
import { HookError, RefreshError, StoreError } from '../errors.ts'
import { getOidc, type Oidc } from '../oidc/client.ts'
import { looksLikeJwt } from '../oidc/jwks.ts'
import { revokeRefreshToken } from '../oidc/revoke.ts'
import { checkAccessTokenAtHand, sessionTokens } from '../oidc/tokens.ts'
import { asBezzieError } from '../respond.ts'
import type { Runtime } from '../runtime.ts'
import type { LoadedSession } from '../session/load.ts'
import { Backoff } from './backoff.ts'
import { fallback, loggedOut, needsRefresh, ok, type RefreshOutcome } from './outcome.ts'
import { type GrantResult, refreshGrant } from './token-response.ts'
import { persist, remember, type TokenMarks, withTokens } from './unsaved.ts'
import { needsVerification, verifyRefreshed } from './verify.ts'

// Module (isolate) level, shared by every createBezzie instance of this isolate: sessions and
// issuers that failed recently wait before the IdP is called again.
const backoff = new Backoff()

/**
 * One refresh of the session, once `ensureFreshTokens` (refresh.ts) holds the session's lock:
 * backoff, the grant (an ambiguous answer retried once with the same token), then the new tokens
 * stored before they are checked. Steps 1–4 of the protocol documented there.
 */
export async function refreshNow(rt: Runtime, session: LoadedSession): Promise<RefreshOutcome> {
  const { config } = rt
  const { key, record } = session
  const refreshToken = record.tokens.refreshToken as string
  // Keyed by the token endpoint: what is failing, whichever bezzie instance of this isolate asks.
  const issuerKey = `token-endpoint:${config.providerOverrides.tokenEndpoint ?? config.issuer.href}`
  const waitMs = backoff.remainingMs(key, issuerKey)
  if (waitMs > 0) return fallback(rt.config, session, waitMs)

  let oidc: Oidc
  try {
    oidc = await getOidc(config, rt.store)
  } catch (e) {
    rt.report(asBezzieError(e))
    backoff.failed(issuerKey)
    return fallback(rt.config, session, backoff.remainingMs(issuerKey))
  }
  const expect = {
    jwtAccessToken: config.audience !== undefined && looksLikeJwt(record.tokens.accessToken),
    sub: record.claims.sub,
  }
  let result: GrantResult = await refreshGrant(config, oidc, refreshToken, expect)
  let retried = false
  if (result.kind === 'failed' && result.ambiguous) {
    // The IdP may have rotated the refresh token in the answer we lost. Within its reuse interval
    // the same token still works: try it once more, right away.
    rt.report(
      new RefreshError(
        'refresh_failed',
        `${result.reason}; the IdP may have processed it: retrying the same refresh token once`,
        result.cause,
      ),
    )
    retried = true
    result = await refreshGrant(config, oidc, refreshToken, expect)
  }

  if (result.kind === 'invalid_grant') {
    const latest = await rt.store.readLatest(key)
    if (latest && latest.record.tokens.refreshToken !== refreshToken) {
      // Not the current refresh token: another isolate rotated it (and the store lagged).
      return needsRefresh(rt.config, latest.record) ? fallback(rt.config, latest) : ok(latest)
    }
    rt.report(
      new RefreshError(
        'refresh_token_invalid',
        retried
          ? 'the IdP rejected the refresh token after an unanswered refresh (it rotated the token in the lost answer and allows no reuse)'
          : 'the IdP rejected the refresh token',
      ),
    )
    await rt.store.delete(key, latest?.record ?? record)
    return loggedOut
  }
  if (result.kind === 'wrong_subject') {
    rt.report(
      new RefreshError(
        'refresh_token_invalid',
        "the refresh response's ID token names another user; the session is ended",
      ),
    )
    await rt.store.delete(key, record)
    return loggedOut
  }
  if (result.kind === 'failed') {
    backoff.failed(key, result.retryAfterSeconds)
    backoff.failed(issuerKey, result.retryAfterSeconds)
    rt.report(
      new RefreshError('refresh_failed', `token refresh failed: ${result.reason}`, result.cause),
    )
    return fallback(rt.config, session, backoff.remainingMs(key))
  }
  backoff.succeeded(key, issuerKey)
  if (retried) {
    rt.report(
      new RefreshError('refresh_failed', 'the retried refresh succeeded: no token was lost'),
    )
  }

  // From here on the new token set is the truth: store it before checking anything else.
  const tokens = sessionTokens(
    result.body as oauth.TokenEndpointResponse,
    config.now,
    record.tokens,
  )
  // Verified before the write only when that needs no IdP call (the keys are at hand): the new
  // refresh token never waits on the IdP's keys. Else it is stored unverified and checked after.
  const verify = needsVerification(config, oidc, tokens.accessToken)
  const mark = verify
    ? await checkAccessTokenAtHand(config, oidc, tokens.accessToken).catch(() => undefined)
    : undefined
  const marks: TokenMarks = mark
    ? { accessTokenVerified: mark }
    : verify
      ? { accessTokenUnverified: true }
      : {}
  let stored: LoadedSession | null
  try {
    stored = await persist(rt.store, session, refreshToken, tokens, marks)
  } catch (e) {
    // Keep it: the next request in this isolate stores it before refreshing again.
    remember(key, refreshToken, tokens, marks)
    rt.report(e instanceof StoreError ? e : asBezzieError(e))
    return verifyRefreshed(rt, oidc, { key, record: withTokens(record, tokens, marks) })
  }
  if (!stored) {
    // Logged out while the IdP answered: the new refresh token must not outlive the session.
    if (tokens.refreshToken && tokens.refreshToken !== refreshToken) {
      await revokeRefreshToken(rt, oidc, tokens.refreshToken)
    }
    return loggedOut
  }
  if (config.hooks.onRefresh && stored.record.tokens.accessToken === tokens.accessToken) {
    try {
      await config.hooks.onRefresh({ user: { ...stored.record.user }, expiresAt: tokens.expiresAt })
    } catch (e) {
      rt.report(new HookError('onRefresh', e))
    }
  }
  return verifyRefreshed(rt, oidc, stored)
}

/** Test seam: forgets every backoff. */
export function clearBackoff(): void {
  backoff.clear()
}

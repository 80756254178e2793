import type * as oauth from 'oauth4webapi'
import { epochSeconds } from './clock.ts'
import { HookError, RefreshError, StoreError, TokenExchangeError } from './errors.ts'
import { getOidc, type Oidc } from './oidc/client.ts'
import { isKeyFetchFailure, looksLikeJwt } from './oidc/jwks.ts'
import { revokeRefreshToken } from './oidc/revoke.ts'
import { accessTokenTrusted, checkAccessToken, sessionTokens } from './oidc/tokens.ts'
import { Backoff } from './refresh/backoff.ts'
import { type GrantResult, refreshGrant } from './refresh/token-response.ts'
import { asBezzieError } from './respond.ts'
import type { Runtime } from './runtime.ts'
import type { LoadedSession } from './session/load.ts'
import type { SessionRecord } from './session/record.ts'
import type { SessionTokens } from './types.ts'

/** Outcome of {@link ensureFreshTokens}. */
export type RefreshOutcome =
  | { status: 'ok'; session: LoadedSession }
  | { status: 'logged_out' }
  | { status: 'unavailable'; retryAfterSeconds: number }

/** Suggested `Retry-After` (in seconds) when the IdP is unavailable and no backoff says longer. */
export const RETRY_AFTER_SECONDS = 5

// Module (isolate) level, shared by every createBezzie instance of this isolate:
// concurrent requests of one session share one refresh;
const inflight = new Map<string, Promise<RefreshOutcome>>()
// sessions and issuers that failed recently wait before the IdP is called again;
const backoff = new Backoff()
// token sets the IdP issued whose store write failed: the next request stores them first.
const unsaved = new Map<
  string,
  { basedOn: string; tokens: SessionTokens; unverified: boolean; at: number }
>()
/** How long (in milliseconds) an unsaved token set is kept for a retried write. */
const UNSAVED_TTL_MS = 10 * 60_000
const MAX_UNSAVED = 1000

/** True when the session's access token is within `refreshBufferSeconds` of expiry. */
export const needsRefresh = (rt: Runtime, r: SessionRecord) =>
  r.tokens.expiresAt - epochSeconds(rt.config.now) <= rt.config.refreshBufferSeconds
const stillValid = (rt: Runtime, r: SessionRecord) =>
  r.tokens.expiresAt > epochSeconds(rt.config.now)

const ok = (session: LoadedSession): RefreshOutcome => ({ status: 'ok', session })
const loggedOut: RefreshOutcome = { status: 'logged_out' }

/** Without a refresh: the current token while it is valid, else 503 with a `Retry-After`. */
function fallback(rt: Runtime, session: LoadedSession, waitMs = 0): RefreshOutcome {
  if (stillValid(rt, session.record)) return ok(session)
  const retryAfterSeconds = waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : RETRY_AFTER_SECONDS
  return { status: 'unavailable', retryAfterSeconds }
}

/** Options of {@link ensureFreshTokens}. */
export interface EnsureOptions {
  /**
   * Refresh even though the access token is not due: the stored one failed verification (a key
   * the IdP no longer publishes). At most one such refresh per stored token.
   */
  force?: boolean
}

/**
 * Returns the session with an access token that is not within `refreshBufferSeconds` of expiry,
 * refreshing it when needed: at most one refresh per session at a time in this isolate, and
 * across isolates when the store offers a lock. A request waits at most `timeouts.refreshMs`;
 * the refresh itself is bounded too (every store call, the lock wait and each IdP call are), so
 * nothing can wedge the shared in-flight entry.
 *
 * The protocol, in order:
 * 1. Backoff: after a failure the session and the issuer wait (`Retry-After` honoured).
 * 2. The grant. A response that may have been processed but was not read (timeout after sending,
 *    reset, a garbled 200) is ambiguous: the same refresh token is sent once more right away,
 *    which an IdP with a reuse interval (Okta's grace period, Auth0's reuse interval) answers
 *    with a valid token set.
 * 3. A 200 is the truth: the new token set is written (compare-and-set onto the newest record)
 *    before anything else is checked; a failed write keeps it in this isolate for the next
 *    request. Only then is the new access token verified; a verification failure keeps the
 *    new tokens and answers 503.
 * 4. Only `invalid_grant` for the refresh token the store holds right now ends the session; one
 *    that another isolate already replaced does not.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export function ensureFreshTokens(
  rt: Runtime,
  session: LoadedSession,
  { force = false }: EnsureOptions = {},
): Promise<RefreshOutcome> {
  const { key, record } = session
  if (!force && !needsRefresh(rt, record) && !unsaved.has(key)) return Promise.resolve(ok(session))
  if (!record.tokens.refreshToken) {
    if (stillValid(rt, record)) return Promise.resolve(ok(session))
    return rt.store.delete(key, record).then(() => loggedOut)
  }
  let pending = inflight.get(key)
  if (!pending) {
    pending = refreshWithLock(rt, session, force).finally(() => inflight.delete(key))
    inflight.set(key, pending)
  }
  return withinBound(rt, session, pending)
}

/** `pending`, or the fallback once `timeouts.refreshMs` has passed (the refresh carries on). */
function withinBound(
  rt: Runtime,
  session: LoadedSession,
  pending: Promise<RefreshOutcome>,
): Promise<RefreshOutcome> {
  const ms = rt.config.timeouts.refreshMs
  let timer: ReturnType<typeof setTimeout> | undefined
  const bound = new Promise<RefreshOutcome>((resolve) => {
    timer = setTimeout(() => {
      rt.report(
        new RefreshError(
          'refresh_failed',
          `token refresh took longer than timeouts.refreshMs (${ms} ms)`,
        ),
      )
      resolve(fallback(rt, session))
    }, ms)
  })
  return Promise.race([pending, bound]).finally(() => clearTimeout(timer))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** True when `current` already has what this refresh was for (another isolate did it). */
function satisfied(rt: Runtime, before: LoadedSession, current: LoadedSession, force: boolean) {
  if (force) return current.record.tokens.accessToken !== before.record.tokens.accessToken
  return !needsRefresh(rt, current.record)
}

async function refreshWithLock(
  rt: Runtime,
  session: LoadedSession,
  force: boolean,
): Promise<RefreshOutcome> {
  const saved = await storeUnsaved(rt, session)
  if (saved) return saved
  if (!rt.store.hasLock) return refreshNow(rt, session)
  const { key } = session
  const deadline = Date.now() + rt.config.timeouts.lockWaitMs
  let delay = 25
  for (;;) {
    const handle = await rt.store.lockRefresh(key)
    if (handle) {
      try {
        // Another isolate may have refreshed while we waited for the lock.
        const current = await rt.store.read(key)
        if (!current) return loggedOut
        if (satisfied(rt, session, current, force)) return ok(current)
        return await refreshNow(rt, current)
      } finally {
        await handle.release()
      }
    }
    if (Date.now() + delay > deadline) break
    await sleep(delay)
    delay = Math.min(delay * 2, 400)
    const current = await rt.store.read(key)
    if (!current) return loggedOut
    if (satisfied(rt, session, current, force)) return ok(current)
  }
  return fallback(rt, session, 1000)
}

/** Stores a token set an earlier refresh of this isolate could not write; `null` if none. */
async function storeUnsaved(rt: Runtime, session: LoadedSession): Promise<RefreshOutcome | null> {
  const entry = unsaved.get(session.key)
  if (!entry) return null
  if (
    Date.now() - entry.at > UNSAVED_TTL_MS ||
    session.record.tokens.refreshToken !== entry.basedOn
  ) {
    // Too old, or the store already moved on past the refresh token it was issued for.
    unsaved.delete(session.key)
    return null
  }
  const written = await persist(rt, session, entry.basedOn, entry.tokens, entry.unverified)
  unsaved.delete(session.key)
  return written ? ok(written) : loggedOut
}

/**
 * Writes `tokens` onto the newest record, unless that record no longer holds the refresh token
 * they were issued for (another refresh stored newer ones: those win). `null` when the session
 * was deleted meanwhile.
 */
function persist(
  rt: Runtime,
  session: LoadedSession,
  basedOn: string,
  tokens: SessionTokens,
  unverified: boolean,
): Promise<LoadedSession | null> {
  return rt.store.update(session, (current) => {
    if (current.tokens.refreshToken !== basedOn) return null
    const { accessTokenUnverified: _previous, ...rest } = current
    return unverified ? { ...rest, tokens, accessTokenUnverified: true } : { ...rest, tokens }
  })
}

function remember(key: string, basedOn: string, tokens: SessionTokens, unverified: boolean): void {
  unsaved.delete(key)
  if (unsaved.size >= MAX_UNSAVED) {
    const oldest = unsaved.keys().next().value
    if (oldest !== undefined) unsaved.delete(oldest)
  }
  unsaved.set(key, { basedOn, tokens, unverified, at: Date.now() })
}

async function refreshNow(rt: Runtime, session: LoadedSession): Promise<RefreshOutcome> {
  const { config } = rt
  const { key, record } = session
  const refreshToken = record.tokens.refreshToken as string
  // Keyed by the token endpoint: what is failing, whichever bezzie instance of this isolate asks.
  const issuerKey = `token-endpoint:${config.providerOverrides.tokenEndpoint ?? config.issuer.href}`
  const waitMs = backoff.remainingMs(key, issuerKey)
  if (waitMs > 0) return fallback(rt, session, waitMs)

  let oidc: Oidc
  try {
    oidc = await getOidc(config)
  } catch (e) {
    rt.report(asBezzieError(e))
    backoff.failed(issuerKey)
    return fallback(rt, session, backoff.remainingMs(issuerKey))
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
    const latest = await rt.store.read(key)
    if (latest && latest.record.tokens.refreshToken !== refreshToken) {
      // Not the current refresh token: another isolate rotated it (and the store lagged).
      return needsRefresh(rt, latest.record) ? fallback(rt, latest) : ok(latest)
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
    return fallback(rt, session, backoff.remainingMs(key))
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
  const unverified = needsVerification(config, oidc, tokens.accessToken)
  let stored: LoadedSession | null
  try {
    stored = await persist(rt, session, refreshToken, tokens, unverified)
  } catch (e) {
    // Keep it: the next request in this isolate stores it before refreshing again.
    remember(key, refreshToken, tokens, unverified)
    rt.report(e instanceof StoreError ? e : asBezzieError(e))
    const next: SessionRecord = { ...record, tokens }
    if (unverified) next.accessTokenUnverified = true
    return verifyRefreshed(rt, oidc, { key, record: next })
  }
  if (!stored) {
    // Logged out while the IdP answered: the new refresh token must not outlive the session.
    if (tokens.refreshToken && tokens.refreshToken !== refreshToken) {
      await revokeRefreshToken(rt, oidc, tokens.refreshToken)
    }
    return loggedOut
  }
  if (config.onRefresh && stored.record.tokens.accessToken === tokens.accessToken) {
    try {
      await config.onRefresh({ user: { ...stored.record.user }, expiresAt: tokens.expiresAt })
    } catch (e) {
      rt.report(new HookError('onRefresh', e))
    }
  }
  return verifyRefreshed(rt, oidc, stored)
}

/** Whether `accessToken` is a JWT bezzie can and must verify (an `audience` is configured). */
function needsVerification(config: Runtime['config'], oidc: Oidc, accessToken: string): boolean {
  return (
    config.audience !== undefined && oidc.as.jwks_uri !== undefined && looksLikeJwt(accessToken)
  )
}

/**
 * Verifies a freshly stored access token. A failure (keys out of reach, an unknown `kid`, a clock
 * far off) answers 503 and keeps the new tokens: the next request tries again.
 */
async function verifyRefreshed(
  rt: Runtime,
  oidc: Oidc,
  session: LoadedSession,
): Promise<RefreshOutcome> {
  if (!session.record.accessTokenUnverified) return ok(session)
  const outcome = await verifyStoredToken(rt, oidc, session)
  if (outcome === 'verified') return ok(session)
  return { status: 'unavailable', retryAfterSeconds: 1 }
}

/**
 * Verifies the session's access token (a token this isolate verified recently is trusted).
 * `'verified'`, `'unreachable'` (the IdP's keys could not be had) or `'invalid'`.
 */
export async function verifyStoredToken(
  rt: Runtime,
  oidc: Oidc,
  session: LoadedSession,
): Promise<'verified' | 'unreachable' | 'invalid'> {
  const { accessToken } = session.record.tokens
  if (accessTokenTrusted(rt.config, accessToken)) return 'verified'
  try {
    await checkAccessToken(rt.config, oidc, accessToken)
  } catch (e) {
    rt.report(new TokenExchangeError('access_token_invalid', 'the access token did not verify', e))
    return isKeyFetchFailure(e) ? 'unreachable' : 'invalid'
  }
  return 'verified'
}

/** Test seam: forgets backoffs and unsaved token sets. Not exported from the package. */
export function resetRefreshState(): void {
  backoff.clear()
  unsaved.clear()
}

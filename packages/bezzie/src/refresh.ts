import { RefreshError } from './errors.ts'
import { clearBackoff, refreshNow } from './refresh/grant.ts'
import {
  fallback,
  loggedOut,
  needsRefresh,
  ok,
  type RefreshOutcome,
  type RefreshTiming,
  stillValid,
} from './refresh/outcome.ts'
import { clearUnsaved, hasUnsaved, storeUnsaved } from './refresh/unsaved.ts'
import type { Runtime } from './runtime.ts'
import type { LoadedSession } from './session/load.ts'

export { needsRefresh, RETRY_AFTER_SECONDS, type RefreshOutcome } from './refresh/outcome.ts'
export { verifyStoredToken } from './refresh/verify.ts'

// Module (isolate) level, shared by every createBezzie instance of this isolate: concurrent
// requests of one session share one refresh.
const inflight = new Map<string, Promise<RefreshOutcome>>()
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
  if (!force && !needsRefresh(rt.config, record) && !hasUnsaved(key))
    return Promise.resolve(ok(session))
  if (!record.tokens.refreshToken) {
    if (stillValid(rt.config, record)) return Promise.resolve(ok(session))
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
      resolve(fallback(rt.config, session))
    }, ms)
  })
  return Promise.race([pending, bound]).finally(() => clearTimeout(timer))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** True when `current` already has what this refresh was for (another isolate did it). */
function satisfied(
  config: RefreshTiming,
  before: LoadedSession,
  current: LoadedSession,
  force: boolean,
) {
  if (force) return current.record.tokens.accessToken !== before.record.tokens.accessToken
  return !needsRefresh(config, current.record)
}

async function refreshWithLock(
  rt: Runtime,
  session: LoadedSession,
  force: boolean,
): Promise<RefreshOutcome> {
  const saved = await storeUnsaved(rt.store, session)
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
        const current = await rt.store.readLatest(key)
        if (!current) return loggedOut
        if (satisfied(rt.config, session, current, force)) return ok(current)
        return await refreshNow(rt, current)
      } finally {
        await handle.release()
      }
    }
    if (Date.now() + delay > deadline) break
    await sleep(delay)
    delay = Math.min(delay * 2, 400)
    const current = await rt.store.readLatest(key)
    if (!current) return loggedOut
    if (satisfied(rt.config, session, current, force)) return ok(current)
  }
  return fallback(rt.config, session, 1000)
}

/** Test seam: forgets backoffs and unsaved token sets. Not exported from the package. */
export function resetRefreshState(): void {
  clearBackoff()
  clearUnsaved()
}

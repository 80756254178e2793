import { epochSeconds } from '../clock.ts'
import type { Runtime } from '../runtime.ts'
import type { LoadedSession } from '../session/load.ts'
import type { SessionRecord } from '../session/record.ts'

/** Outcome of `ensureFreshTokens` (refresh.ts). */
export type RefreshOutcome =
  | { status: 'ok'; session: LoadedSession }
  | { status: 'logged_out' }
  | { status: 'unavailable'; retryAfterSeconds: number }

/** Suggested `Retry-After` (in seconds) when the IdP is unavailable and no backoff says longer. */
export const RETRY_AFTER_SECONDS = 5

/** True when the session's access token is within `refreshBufferSeconds` of expiry. */
export const needsRefresh = (rt: Runtime, r: SessionRecord) =>
  r.tokens.expiresAt - epochSeconds(rt.config.now) <= rt.config.tokens.refreshBufferSeconds
export const stillValid = (rt: Runtime, r: SessionRecord) =>
  r.tokens.expiresAt > epochSeconds(rt.config.now)

export const ok = (session: LoadedSession): RefreshOutcome => ({ status: 'ok', session })
export const loggedOut: RefreshOutcome = { status: 'logged_out' }

/** Without a refresh: the current token while it is valid, else 503 with a `Retry-After`. */
export function fallback(rt: Runtime, session: LoadedSession, waitMs = 0): RefreshOutcome {
  if (stillValid(rt, session.record)) return ok(session)
  const retryAfterSeconds = waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : RETRY_AFTER_SECONDS
  return { status: 'unavailable', retryAfterSeconds }
}

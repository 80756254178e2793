import { epochSeconds } from '../clock.ts'
import type { ResolvedConfig } from '../config.ts'
import type { LoadedSession } from '../session/load.ts'
import type { SessionRecord } from '../session/record.ts'

/** Outcome of `ensureFreshTokens` (refresh.ts). */
export type RefreshOutcome =
  | { status: 'ok'; session: LoadedSession }
  | { status: 'logged_out' }
  | { status: 'unavailable'; retryAfterSeconds: number }

/** Suggested `Retry-After` (in seconds) when the IdP is unavailable and no backoff says longer. */
export const RETRY_AFTER_SECONDS = 5

/** What judging a token's expiry needs: the clock and `tokens.refreshBufferSeconds`. */
export type RefreshTiming = Pick<ResolvedConfig, 'now' | 'tokens'>

/** True when the session's access token is within `refreshBufferSeconds` of expiry. */
export const needsRefresh = (config: RefreshTiming, r: SessionRecord) =>
  r.tokens.expiresAt - epochSeconds(config.now) <= config.tokens.refreshBufferSeconds
/** True while the session's access token has not expired. */
export const stillValid = (config: Pick<ResolvedConfig, 'now'>, r: SessionRecord) =>
  r.tokens.expiresAt > epochSeconds(config.now)

export const ok = (session: LoadedSession): RefreshOutcome => ({ status: 'ok', session })
export const loggedOut: RefreshOutcome = { status: 'logged_out' }

/** Without a refresh: the current token while it is valid, else 503 with a `Retry-After`. */
export function fallback(
  config: Pick<ResolvedConfig, 'now'>,
  session: LoadedSession,
  waitMs = 0,
): RefreshOutcome {
  if (stillValid(config, session.record)) return ok(session)
  const retryAfterSeconds = waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : RETRY_AFTER_SECONDS
  return { status: 'unavailable', retryAfterSeconds }
}

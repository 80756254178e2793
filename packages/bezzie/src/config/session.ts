import { ConfigError } from '../errors.ts'
import { either, group, seconds } from './validate.ts'

/** Session lifetimes: `session` in {@link BezzieConfig}. */
export interface SessionConfig {
  /**
   * Idle lifetime (in seconds), sliding: a session not used for this long ends. Default 86400
   * (1 day); minimum 60. The seed's flat form: `sessionTtlSeconds`.
   */
  idleTtlSeconds?: number
  /**
   * Absolute lifetime (in seconds) from login, however active the session. Default 604800
   * (7 days), or `idleTtlSeconds` when that is longer; at least `idleTtlSeconds`, at most 34560000
   * (400 days, the browsers' cookie limit). The seed's flat form: `absoluteSessionTtlSeconds`.
   */
  absoluteTtlSeconds?: number
  /**
   * How often (in seconds) the sliding idle expiry is written back to the store; requests in
   * between make no store write. Default 300, capped at a quarter of `idleTtlSeconds`; must be
   * less than `idleTtlSeconds` (else the session would expire before a slide is written). The
   * seed's flat form: `touchIntervalSeconds`.
   */
  touchIntervalSeconds?: number
}

/** {@link SessionConfig} with every default applied. */
export type ResolvedSession = Required<SessionConfig>

/** The seed's flat names of the session options. */
export interface FlatSessionConfig {
  sessionTtlSeconds?: number
  absoluteSessionTtlSeconds?: number
  touchIntervalSeconds?: number
}

const MAX_COOKIE_AGE_SECONDS = 400 * 24 * 60 * 60

/** Resolves `session` (and the seed's flat lifetimes). */
export function resolveSession(config: FlatSessionConfig & { session?: SessionConfig }) {
  const g = group<SessionConfig>(config, 'session')
  const idle = either(
    g.idleTtlSeconds,
    'session.idleTtlSeconds',
    config.sessionTtlSeconds,
    'sessionTtlSeconds',
  )
  const absolute = either(
    g.absoluteTtlSeconds,
    'session.absoluteTtlSeconds',
    config.absoluteSessionTtlSeconds,
    'absoluteSessionTtlSeconds',
  )
  const touch = either(
    g.touchIntervalSeconds,
    'session.touchIntervalSeconds',
    config.touchIntervalSeconds,
    'touchIntervalSeconds',
  )
  const idleTtlSeconds = seconds(idle, 86_400, 60)
  const absoluteTtlSeconds = seconds(absolute, Math.max(604_800, idleTtlSeconds), 60)
  if (absoluteTtlSeconds < idleTtlSeconds) {
    throw new ConfigError(
      absolute.name,
      `(${absoluteTtlSeconds}) must be >= ${idle.name} (${idleTtlSeconds}): a session cannot idle longer than it may live`,
    )
  }
  // Browsers cap cookie lifetimes at 400 days (RFC 6265bis), and hono refuses longer Max-Age.
  if (absoluteTtlSeconds > MAX_COOKIE_AGE_SECONDS) {
    throw new ConfigError(absolute.name, 'must be at most 34560000 (400 days)')
  }
  const touchIntervalSeconds = seconds(touch, Math.min(300, Math.floor(idleTtlSeconds / 4)), 0)
  if (touch.value !== undefined && touchIntervalSeconds >= idleTtlSeconds) {
    throw new ConfigError(
      touch.name,
      `(${touchIntervalSeconds}) must be less than ${idle.name} (${idleTtlSeconds}): the session would expire before its sliding expiry is written`,
    )
  }
  return { idleTtlSeconds, absoluteTtlSeconds, touchIntervalSeconds } satisfies ResolvedSession
}

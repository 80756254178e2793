import type { SessionRecord } from './record.ts'

/** The ID token claims bezzie reads (validated by oauth4webapi before they get here). */
export type IdTokenClaims = { sub: string } & Record<string, unknown>

/**
 * The claims a session keeps from its ID token: `sub` and `sid` for back-channel logout and
 * `sessions.revoke()`, and `acr`, `amr`, `auth_time` for `auth.require({ acr, maxAge })`.
 * Claims of the wrong type are left out rather than trusted.
 */
export function sessionClaims(claims: IdTokenClaims): SessionRecord['claims'] {
  const kept: SessionRecord['claims'] = { sub: claims.sub }
  if (typeof claims.sid === 'string') kept.sid = claims.sid
  if (typeof claims.acr === 'string') kept.acr = claims.acr
  if (Array.isArray(claims.amr) && claims.amr.every((m) => typeof m === 'string')) {
    kept.amr = claims.amr as string[]
  }
  if (typeof claims.auth_time === 'number') kept.auth_time = claims.auth_time
  return kept
}

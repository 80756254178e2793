import type { BezzieUser, SessionTokens } from '../types.ts'

/**
 * What bezzie verified of the record's access token when it wrote it (login callback, refresh).
 * Trusted as part of the record: with `secret` the record is authenticated (AES-GCM), and without
 * it the store is trusted for the tokens and claims already (whoever can write a record can plant
 * claims, so a planted mark gives nothing more).
 */
export interface AccessTokenMark {
  /** The `kid` of the key that verified the signature. */
  kid: string
  /** The end of that key's modulus (or curve point): a key published again under the same `kid` is another key. */
  key: string
  /** The trust scope it was verified for: the configured issuer and audience. */
  scope: string
  /** The end of the token's signature: the mark belongs to this token and no other. */
  tail: string
}

/** A session as stored (before optional encryption). Times are epoch seconds. */
export interface SessionRecord {
  v: 1
  /**
   * Revision: 1 when created, one more on every write. Writes are compare-and-set against the
   * value read, so a record never goes back to an older revision (where the store allows).
   */
  rev?: number
  user: BezzieUser
  /**
   * Selected ID token claims kept for back-channel logout, hooks and `auth.require()` (`sub`,
   * `sid`, and how the user authenticated: `acr`, `amr`, `auth_time`).
   */
  claims: { sub: string; sid?: string; acr?: string; amr?: string[]; auth_time?: number }
  /**
   * The `acr_values` the login that created this session asked for, if any: a step-up that the
   * IdP did not satisfy is not asked for again (that would loop).
   */
  acrValuesRequested?: string
  /**
   * The device the user signed in on, for "your devices": a coarse label from its User-Agent and
   * the country from the runtime's edge metadata, where it gives one.
   */
  device?: { label: string; country?: string }
  tokens: SessionTokens
  /**
   * The access token came from a refresh and was stored before it was verified (the new refresh
   * token must never wait on the IdP's keys): verify it before use.
   */
  accessTokenUnverified?: true
  /**
   * bezzie verified the access token (signature, `iss`, `aud`) when it wrote it: a read that finds
   * no verification in the isolate's memo trusts this instead of checking the signature again,
   * as long as the key it names is still in the IdP's key set (`exp`/`nbf` are checked on every
   * read all the same). See {@link AccessTokenMark}. Never set together with
   * `accessTokenUnverified`.
   */
  accessTokenVerified?: AccessTokenMark
  createdAt: number
  /** Sliding idle expiry. */
  idleExpiresAt: number
  /** Absolute expiry; never extended. */
  absoluteExpiresAt: number
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/** Effective expiry: the earlier of idle and absolute. */
export const expiresAt = (r: SessionRecord): number =>
  Math.min(r.idleExpiresAt, r.absoluteExpiresAt)

export function serializeRecord(record: SessionRecord): string {
  return JSON.stringify(record)
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/** Parses a stored record; `null` for anything that is not a well-formed v1 record. */
export function parseRecord(raw: string): SessionRecord | null {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return null
  }
  if (!isObject(value) || value.v !== 1) return null
  const { user, claims, tokens } = value
  if (!isObject(user) || typeof user.sub !== 'string') return null
  if (!isObject(claims) || typeof claims.sub !== 'string') return null
  if (!isObject(tokens) || typeof tokens.accessToken !== 'string') return null
  if (typeof tokens.expiresAt !== 'number') return null
  for (const k of ['createdAt', 'idleExpiresAt', 'absoluteExpiresAt'] as const) {
    if (typeof value[k] !== 'number') return null
  }
  if (value.rev !== undefined && typeof value.rev !== 'number') return null
  return value as unknown as SessionRecord
}

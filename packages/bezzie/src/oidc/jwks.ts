import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify } from 'jose'
import { Recent } from '../session/recent.ts'
import type { AccessTokenMark } from '../session/record.ts'
import { IDP_TIMEOUT_MS } from './http.ts'
import { markHolds, markOf } from './marks.ts'
import { verifyFast } from './verify-fast.ts'

type RemoteJwks = ReturnType<typeof createRemoteJWKSet>

/** How long (in milliseconds) a fetched key set is used before it is fetched again. */
export const JWKS_MAX_AGE_MS = 10 * 60 * 1000
/**
 * Clock skew (in seconds) the memo of verified tokens allows on `exp` and `nbf`; a token outside
 * it is verified again, with the configured `clockToleranceSeconds`.
 */
export const CLOCK_TOLERANCE_SECONDS = 5

// Module level: jose's remote set caches keys and refetches at once on an unknown `kid`, at most
// once per cooldown: an IdP that rotated its keys a moment after the last fetch is picked up on
// the first token signed with the new key, and a flood of unknown kids costs one fetch a second.
const sets = new Map<string, RemoteJwks>()
/** How many times each set has fetched its keys: what it holds may have changed since. */
const fetches = new WeakMap<RemoteJwks, { count: number }>()

/** How many times `set` has fetched its keys (verify-fast.ts and marks.ts take them once per fetch). */
const generationOf = (set: RemoteJwks) => fetches.get(set)?.count ?? -1

/** The issuer's JSON Web Key Set at `uri`, one cached remote set per isolate. */
export function jwksFor(uri: string): RemoteJwks {
  let set = sets.get(uri)
  if (!set) {
    const fetched = { count: 0 }
    set = createRemoteJWKSet(new URL(uri), {
      timeoutDuration: IDP_TIMEOUT_MS,
      cacheMaxAge: JWKS_MAX_AGE_MS,
      cooldownDuration: 1000,
      [customFetch]: (url: string, init: RequestInit) => {
        fetched.count++
        return fetch(url, init)
      },
    })
    fetches.set(set, fetched)
    sets.set(uri, set)
  }
  return set
}

/**
 * True when a verification failure says nothing about the token because the IdP's keys could not
 * be had: a network error, timeout, non-200 or unparsable JWKS response (jose reports the last two
 * as a plain `JOSEError`). Such a failure is an outage, never grounds to reject a user or token.
 */
export function isKeyFetchFailure(e: unknown): boolean {
  if (!(e instanceof joseErrors.JOSEError)) return true
  return (
    e instanceof joseErrors.JWKSTimeout ||
    e instanceof joseErrors.JWKSInvalid ||
    e.code === joseErrors.JOSEError.code
  )
}

/** True when `token` has the shape of a JWS compact serialization. */
export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)

/** How many verified access tokens one isolate remembers. */
export const VERIFIED_TOKEN_MEMO_SIZE = 1000

interface Verified {
  /** Whom it was verified for: the configured issuer and the audience (see {@link verifiedRecently}). */
  scope: string
  exp: number | undefined
  nbf: number | undefined
  /** The key set that verified it: once that set is stale, so is the verification. */
  keys: RemoteJwks
}

// Module (isolate) level, like the key sets: `createBezzie` may run per request.
const verified = new Recent<string, Verified>(VERIFIED_TOKEN_MEMO_SIZE)

/**
 * True when `token` passed {@link verifyJwtAccessToken} for this `scope` (a string naming the
 * configured issuer and the audience, so a token verified for one API is not trusted for another) with
 * keys this isolate still holds fresh (the memo expires with the key set's cache, so an outage or
 * a removed key is noticed as before) and its `exp`/`nbf` still hold now. Only the signature, `iss` and `aud`
 * are remembered; the time claims are checked on every call, so an expired token never passes.
 * `false` means "verify it", not "invalid".
 */
export function verifiedRecently(token: string, scope: string): boolean {
  const hit = verified.get(token)
  if (!hit || hit.scope !== scope) return false
  const seconds = Math.floor(Date.now() / 1000)
  if (
    !hit.keys.fresh ||
    (hit.exp !== undefined && hit.exp <= seconds - CLOCK_TOLERANCE_SECONDS) ||
    (hit.nbf !== undefined && hit.nbf > seconds + CLOCK_TOLERANCE_SECONDS)
  ) {
    verified.delete(token)
    return false
  }
  return true
}

/** What {@link verifyJwtAccessToken} needs: where the keys are, whom the token is for. */
export interface VerifyOptions {
  jwksUri: string
  issuer: string
  audience: string
  scope: string
  clockToleranceSeconds: number
}

/**
 * Verifies a JWT access token: signature against the issuer's JWKS, `iss`, `aud`, `exp`/`nbf`.
 * Rejects with jose's error on failure. A success is remembered for {@link verifiedRecently} and
 * answers the mark a record may keep of it ({@link trustedByMark}), or `undefined` when the key
 * cannot be named (no `kid`, or several keys under it).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export async function verifyJwtAccessToken(
  token: string,
  options: VerifyOptions,
): Promise<AccessTokenMark | undefined> {
  const keys = jwksFor(options.jwksUri)
  // Without jose when the token and keys are plain (verify-fast.ts); else jose decides.
  const fast = verifyFast(token, keys, generationOf(keys), options)
  const payload: { exp?: number; nbf?: number } =
    (fast instanceof Promise ? await fast : fast) ??
    (
      await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: options.clockToleranceSeconds,
      })
    ).payload
  return remember(token, payload, keys, options.scope)
}

/**
 * Verifies `token` only if that needs no IdP call: the keys are held fresh and the token is the
 * plain case verify-fast.ts decides alone. The mark of the verification, or `undefined` for
 * "not verified now" (never "invalid"). For a token that must be stored before anything can wait
 * on the IdP's keys (a refresh's new token set).
 */
export async function verifyWithKeysAtHand(
  token: string,
  options: VerifyOptions,
): Promise<AccessTokenMark | undefined> {
  const keys = sets.get(options.jwksUri)
  if (!keys) return undefined
  const fast = verifyFast(token, keys, generationOf(keys), options)
  const payload = fast instanceof Promise ? await fast : fast
  return payload && remember(token, payload, keys, options.scope)
}

/** Remembers a verified token in the memo and answers its mark (see {@link verifyJwtAccessToken}). */
function remember(
  token: string,
  payload: { exp?: unknown; nbf?: unknown },
  keys: RemoteJwks,
  scope: string,
): AccessTokenMark | undefined {
  verified.set(token, {
    scope,
    exp: payload.exp as number | undefined,
    nbf: payload.nbf as number | undefined,
    keys,
  })
  return markOf(token, keys, generationOf(keys), scope)
}

/**
 * True when the record's `mark` vouches for `token` now, without checking its signature again
 * (see {@link markHolds}): only against a key set this isolate holds fresh. A success enters the
 * memo. `false` means "verify it", never "invalid": a key set not held yet is fetched by that
 * verification, and a key rotated out of the set is refused by it.
 */
export function trustedByMark(
  token: string,
  mark: AccessTokenMark | undefined,
  options: VerifyOptions,
): boolean {
  const keys = mark && sets.get(options.jwksUri)
  if (!keys?.fresh || keys.reloading) return false
  const claims = markHolds(token, mark, keys, generationOf(keys), options)
  if (!claims) return false
  verified.set(token, {
    scope: options.scope,
    exp: claims.exp as number | undefined,
    nbf: claims.nbf as number | undefined,
    keys,
  })
  return true
}

/**
 * Test seam: this isolate as a new one would be: no verified token remembered and, with
 * `keys: true`, no key set held either. Not exported from the package.
 */
export function forgetVerifiedTokens({ keys = false }: { keys?: boolean } = {}): void {
  verified.clear()
  if (keys) sets.clear()
}

import type { AccessTokenMark } from '../session/record.ts'
import { checked, heldKeys, type KeySetView, segment } from './verify-fast.ts'

/**
 * The mark a session record keeps of a verified access token (see {@link AccessTokenMark}), so
 * that a read in an isolate that has not verified the token itself (a new isolate, or one whose
 * memo no longer holds it) need not check its signature again.
 *
 * It is trusted as the rest of the record is: with `secret` the record is sealed (AES-GCM), so
 * only bezzie wrote it; without `secret` whoever can write the store can already write tokens and
 * claims (the user bezzie hands the app), and a planted mark gives them nothing more.
 */

/** Length of the token tail and of the key fingerprint a mark keeps. */
const TAIL = 16
const FINGERPRINT = 12

/** The end of the key's public value (RSA modulus, EC or OKP point), or `undefined`. */
function fingerprint(jwk: Record<string, unknown> | undefined): string | undefined {
  const value = jwk?.n ?? jwk?.x
  return typeof value === 'string' && value.length >= FINGERPRINT
    ? value.slice(-FINGERPRINT)
    : undefined
}

/** The one key of the set published under `kid` (none, or several: `undefined`). */
function keyNamed(
  keys: KeySetView,
  generation: number,
  kid: string,
): Record<string, unknown> | undefined {
  const held = heldKeys(keys, generation)
  if (!held) return undefined
  let found: Record<string, unknown> | undefined
  for (const jwk of held) {
    if (jwk.kid !== kid) continue
    if (found) return undefined
    found = jwk
  }
  return found
}

/** Header segments decoded lately, and the `kid` each names: an IdP signs with few headers. */
const kids = new Map<string, unknown>()
const KIDS_HELD = 64

/** The `kid` in a token's (base64url) header segment, or `undefined`. */
function kidIn(header: string): unknown {
  if (kids.has(header)) return kids.get(header)
  const kid = segment(header)?.kid
  if (header.length <= 512) {
    if (kids.size >= KIDS_HELD) kids.clear()
    kids.set(header, kid)
  }
  return kid
}

/**
 * The mark of `token`, just verified with `keys` (as of their fetch `generation`) for `scope`;
 * `undefined` when the key cannot be named (no `kid` in the header, or not exactly one key under
 * it).
 */
export function markOf(
  token: string,
  keys: KeySetView,
  generation: number,
  scope: string,
): AccessTokenMark | undefined {
  const kid = kidIn(token.slice(0, token.indexOf('.')))
  if (typeof kid !== 'string') return undefined
  const key = fingerprint(keyNamed(keys, generation, kid))
  return key === undefined ? undefined : { kid, key, scope, tail: token.slice(-TAIL) }
}

/**
 * The token's claims when `mark` vouches for it against `keys` now: the mark names this token
 * (its signature's tail and its header's `kid`) and this scope (issuer and audience: a mark made
 * for another configuration counts for nothing), `keys` (as of their fetch `generation`) still publish the very key it names (a
 * key rotated out, or another key under the same `kid`, fails), and the token's `iss`, `aud` and
 * `exp`/`nbf` (with `clockToleranceSeconds`) hold now, as jose would check them. Else
 * `undefined`: verify the token.
 */
export function markHolds(
  token: string,
  mark: AccessTokenMark | undefined,
  keys: KeySetView,
  generation: number,
  options: { scope: string; issuer: string; audience: string; clockToleranceSeconds: number },
): Record<string, unknown> | undefined {
  if (
    !mark ||
    mark.scope !== options.scope ||
    typeof mark.tail !== 'string' ||
    mark.tail.length !== TAIL ||
    !token.endsWith(mark.tail) ||
    typeof mark.kid !== 'string' ||
    fingerprint(keyNamed(keys, generation, mark.kid)) !== mark.key
  )
    return undefined
  const [header, payload] = token.split('.') as [string, string]
  if (kidIn(header) !== mark.kid) return undefined
  return checked(segment(payload), options)
}

import { b64u, utf8 } from './encoding.ts'
import { sha256Ascii, sha256Bytes } from './sha256.ts'

/** A session id or transaction id: 256 random bits, base64url (43 characters). */
export function randomId(): string {
  return b64u(crypto.getRandomValues(new Uint8Array(32)))
}

/** True when `value` has the shape of {@link randomId}'s output. */
export function isWellFormedId(value: string | undefined): value is string {
  return typeof value === 'string' && /^[\w-]{43}$/.test(value)
}

/**
 * SHA-256 of `value` (as UTF-8), base64url. Synchronous: it runs on every signed-in request.
 *
 * The JavaScript hash (sha256.ts) on every runtime, Node included: measured inside a cold request
 * (interleaved in one process, each variant on its own sessions), Node's `crypto.hash` cost 1–4 %
 * more than this loop, which hashes a 43-character id with no allocation but its result.
 */
export function sha256(value: string): string {
  return b64u(sha256Ascii(value) ?? sha256Bytes(utf8(value)))
}

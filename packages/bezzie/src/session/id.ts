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
 * The JavaScript hash (sha256.ts) on every runtime, Node included. Node's `crypto.hash` was tried
 * for the session key and measured slower inside a request: a cold signed-in request (a session
 * this isolate had not read before) took about 5–10 % more CPU with it than with the JavaScript
 * loop, which hashes a 43-character id in about a microsecond on the request's own thread.
 */
export function sha256(value: string): string {
  return b64u(sha256Ascii(value) ?? sha256Bytes(utf8(value)))
}

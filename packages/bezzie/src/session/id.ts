import { b64u, utf8 } from './encoding.ts'
import { nodeCrypto } from './node-crypto.ts'
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
 * Node's own hash on Node, else the JavaScript one (sha256.ts).
 */
export function sha256(value: string): string {
  return nodeCrypto
    ? nodeCrypto.hash('sha256', value, 'base64url')
    : b64u(sha256Ascii(value) ?? sha256Bytes(utf8(value)))
}

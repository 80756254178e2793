import { b64u, utf8 } from './encoding.ts'
import { sha256 } from './id.ts'

/**
 * Every key bezzie writes to a session store, in one place. Nothing outside the storage module
 * (this file and `store.ts`) builds or parses a key; adapters never see anything but opaque keys.
 *
 * - `bezzie:s:<sha256(session id)>` a session record
 * - `bezzie:t:<sha256(transaction id)>` a login transaction kept in the store
 * - `bezzie:tu:<sha256(state)>` a sealed login transaction used once
 * - `bezzie:l:<sha256(session id)>` the refresh lock of a session
 * - `bezzie:jti:<sha256(jti)>` a back-channel logout token seen once
 * - `bezzie:r:<sha256(session key, resource)>` a session's access token for another API
 * - `bezzie:dpop:<sha256(issuer, client id)>` the BFF's generated DPoP private key
 * - `bezzie:i:sub:<sub>` / `bezzie:i:sid:<sid>` the sessions of a user / of an IdP session;
 *   with a `secret`, `bezzie:i:sub:h:<HMAC(sub)>` so a dump of the store names nobody
 */

const SESSION = 'bezzie:s:'
const LOCK = 'bezzie:l:'

/** The store key of a session: a hash of its id, so a dump of the store yields no usable cookie. */
export function sessionKey(id: string): string {
  return `${SESSION}${sha256(id)}`
}

/** The store key of a login transaction kept in the store (no `secret` configured). */
export function transactionKey(id: string): string {
  return `bezzie:t:${sha256(id)}`
}

/**
 * The key marking a sealed login transaction (identified by its `state`) as used, so a replayed
 * transaction cookie is refused.
 */
export function usedTransactionKey(state: string): string {
  return `bezzie:tu:${sha256(state)}`
}

/** The refresh lock of the session stored under `key`. */
export function lockKey(key: string): string {
  return key.startsWith(SESSION) ? `${LOCK}${key.slice(SESSION.length)}` : `${LOCK}${key}`
}

/**
 * The key of the session stored under `key`'s access token for another API (`resource`): found
 * only through the session's own key, and a dump of the store names neither session nor API.
 */
export async function resourceTokenKey(key: string, resource: string): Promise<string> {
  return `bezzie:r:${await sha256(`${key}\n${resource}`)}`
}

/** The key of the BFF's generated DPoP key for one client of one issuer. */
export function dpopKeyKey(issuer: string, clientId: string): string {
  return `bezzie:dpop:${sha256(`${issuer}\n${clientId}`)}`
}

/** The key remembering a back-channel logout token's `jti`. */
export function jtiKey(jti: string): string {
  return `bezzie:jti:${sha256(jti)}`
}

/** What an index groups sessions by. */
export type IndexKind = 'sub' | 'sid'

const hmacKeys = new Map<string, Promise<CryptoKey>>()

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret)
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey('raw', utf8(secret), 'HKDF', false, ['deriveKey'])
      return crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: utf8('bezzie/v1'), info: utf8('bezzie index') },
        ikm,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        false,
        ['sign'],
      )
    })()
    hmacKeys.set(secret, key)
  }
  return key
}

async function keyedHash(secret: string, kind: IndexKind, value: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), utf8(`${kind}\u0000${value}`))
  return b64u(new Uint8Array(mac))
}

/**
 * The index keys of `value` (a `sub` or IdP `sid`): the first is the one to write; lookups read
 * all of them, so sessions indexed under a secret that has since been rotated out of first place
 * are still found. Without secrets the value itself names the key.
 */
export async function indexKeys(
  secrets: readonly string[],
  kind: IndexKind,
  value: string,
): Promise<string[]> {
  if (secrets.length === 0) return [`bezzie:i:${kind}:${value}`]
  return Promise.all(
    secrets.map(async (secret) => `bezzie:i:${kind}:h:${await keyedHash(secret, kind, value)}`),
  )
}

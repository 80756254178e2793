import { BezzieError } from '../errors.ts'
import { b64u, fromB64u, fromUtf8, utf8 } from './encoding.ts'
import { sha256 } from './id.ts'

/** What a sealed value is for; each purpose gets its own derived key. */
export type SealPurpose = 'session' | 'transaction'

interface DerivedKey {
  kid: string
  key: CryptoKey
}

const cache = new Map<string, Promise<DerivedKey>>()

async function derive(secret: string, purpose: SealPurpose): Promise<DerivedKey> {
  const ikm = await crypto.subtle.importKey('raw', utf8(secret), 'HKDF', false, ['deriveKey'])
  const key = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8('bezzie/v1'), info: utf8(`bezzie ${purpose}`) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
  // The key id lets a rotated secret list find the right key without trial decryption.
  const kid = sha256(`kid:${purpose}:${secret}`).slice(0, 8)
  return { kid, key }
}

function keyFor(secret: string, purpose: SealPurpose): Promise<DerivedKey> {
  const id = `${purpose}\u0000${secret}`
  let k = cache.get(id)
  if (!k) {
    k = derive(secret, purpose)
    cache.set(id, k)
  }
  return k
}

/**
 * Encrypts `plaintext` with AES-256-GCM under a key derived (HKDF-SHA-256) from the first
 * secret. `aad` binds the ciphertext to its context (e.g. its store key).
 * Output: `v1.<kid>.<iv>.<ciphertext>`, all base64url.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5869
 */
export async function seal(
  secrets: string[],
  purpose: SealPurpose,
  plaintext: string,
  aad: string,
): Promise<string> {
  const secret = secrets[0]
  if (secret === undefined) throw new BezzieError('internal_error', 'seal() needs a secret')
  const { kid, key } = await keyFor(secret, purpose)
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: utf8(aad) },
    key,
    utf8(plaintext),
  )
  return `v1.${kid}.${b64u(iv)}.${b64u(new Uint8Array(ct))}`
}

/** Decrypts a value made by {@link seal} with any of `secrets`; `null` when it does not open. */
export async function open(
  secrets: string[],
  purpose: SealPurpose,
  sealed: string,
  aad: string,
): Promise<string | null> {
  const parts = sealed.split('.')
  if (parts.length !== 4 || parts[0] !== 'v1') return null
  const [, kid, ivPart, ctPart] = parts as [string, string, string, string]
  for (const secret of secrets) {
    const derived = await keyFor(secret, purpose)
    if (derived.kid !== kid) continue
    try {
      const pt = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromB64u(ivPart), additionalData: utf8(aad) },
        derived.key,
        fromB64u(ctPart),
      )
      return fromUtf8(new Uint8Array(pt))
    } catch {
      return null
    }
  }
  return null
}

import type { SealPurpose } from './crypto.ts'
import { fromB64u, fromUtf8, utf8 } from './encoding.ts'
import { sha256 } from './id.ts'
import { type NodeCrypto, type NodeKey, nodeCrypto as node } from './node-crypto.ts'

const rawKeys = new Map<string, { kid: string; key: NodeKey }>()

/**
 * The same HKDF-SHA-256 derivation as crypto.ts's `derive`, as a `KeyObject`: Node checks a key
 * given as bytes again on every `createDecipheriv`, which took longer than decrypting a record.
 */
function rawKeyFor(nodeCrypto: NodeCrypto, secret: string, purpose: SealPurpose) {
  const id = `${purpose}\u0000${secret}`
  let k = rawKeys.get(id)
  if (!k) {
    const bits = nodeCrypto.hkdfSync(
      'sha256',
      utf8(secret),
      utf8('bezzie/v1'),
      utf8(`bezzie ${purpose}`),
      32,
    )
    k = {
      kid: sha256(`kid:${purpose}:${secret}`).slice(0, 8),
      key: nodeCrypto.createSecretKey(new Uint8Array(bits)),
    }
    rawKeys.set(id, k)
  }
  return k
}

/** AES-GCM's authentication tag length (bytes), appended to the ciphertext by Web Crypto. */
const TAG = 16

/**
 * {@link open} on the calling thread where the runtime offers it (Node): the same result for the
 * same input (a value sealed by `seal` opens; tampered, swapped or foreign values give `null`).
 * `undefined` where it cannot run synchronously: call `open` instead.
 */
export function openSync(
  secrets: string[],
  purpose: SealPurpose,
  sealed: string,
  aad: string,
): string | null | undefined {
  if (!node) return undefined
  const parts = sealed.split('.')
  if (parts.length !== 4 || parts[0] !== 'v1') return null
  const [, kid, ivPart, ctPart] = parts as [string, string, string, string]
  for (const secret of secrets) {
    const derived = rawKeyFor(node, secret, purpose)
    if (derived.kid !== kid) continue
    try {
      const data = fromB64u(ctPart)
      if (data.length < TAG) return null
      const decipher = node.createDecipheriv('aes-256-gcm', derived.key, fromB64u(ivPart))
      decipher.setAAD(utf8(aad))
      decipher.setAuthTag(data.subarray(data.length - TAG))
      const head = decipher.update(data.subarray(0, data.length - TAG))
      const tail = decipher.final()
      if (tail.length === 0) return fromUtf8(head)
      const all = new Uint8Array(head.length + tail.length)
      all.set(head)
      all.set(tail, head.length)
      return fromUtf8(all)
    } catch {
      return null
    }
  }
  return null
}

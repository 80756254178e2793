import type { SealPurpose } from './crypto.ts'
import { fromB64u, fromUtf8, utf8 } from './encoding.ts'
import { sha256 } from './id.ts'

/** The part of Node's `node:crypto` used here (declared, not imported: the package runs on Workers). */
interface NodeCrypto {
  hkdfSync(
    digest: 'sha256',
    ikm: Uint8Array,
    salt: Uint8Array,
    info: Uint8Array,
    length: number,
  ): ArrayBuffer
  createDecipheriv(
    algorithm: 'aes-256-gcm',
    key: Uint8Array,
    iv: Uint8Array,
  ): {
    setAAD(aad: Uint8Array): unknown
    setAuthTag(tag: Uint8Array): unknown
    update(data: Uint8Array): Uint8Array
    final(): Uint8Array
  }
}

/**
 * Node's crypto module on Node, else `undefined`. Why: Node runs Web Crypto on libuv's thread
 * pool, so every `crypto.subtle.decrypt` is a hand-off to another thread and back, which costs
 * more than the decryption of a session record. `node:crypto` decrypts on the calling thread.
 * workerd already runs Web Crypto on the request's thread, so it keeps using it.
 */
function loadNodeCrypto(): NodeCrypto | undefined {
  const host = globalThis as {
    navigator?: { userAgent?: string }
    process?: { getBuiltinModule?: (id: string) => unknown }
  }
  if (host.navigator?.userAgent === 'Cloudflare-Workers') return undefined
  try {
    const m = host.process?.getBuiltinModule?.('node:crypto') as Partial<NodeCrypto> | undefined
    return typeof m?.hkdfSync === 'function' && typeof m.createDecipheriv === 'function'
      ? (m as NodeCrypto)
      : undefined
  } catch {
    return undefined
  }
}

const node = loadNodeCrypto()

const rawKeys = new Map<string, { kid: string; key: Uint8Array }>()

/** The same HKDF-SHA-256 derivation as crypto.ts's `derive`, as raw key bytes. */
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
    k = { kid: sha256(`kid:${purpose}:${secret}`).slice(0, 8), key: new Uint8Array(bits) }
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

/**
 * The part of Node's `node:crypto` that bezzie uses on Node (declared, not imported: the package
 * runs on Workers, where there is no `node:crypto` without a compatibility flag).
 */
export interface NodeCrypto {
  hkdfSync(
    digest: 'sha256',
    ikm: Uint8Array,
    salt: Uint8Array,
    info: Uint8Array,
    length: number,
  ): ArrayBuffer
  createSecretKey(key: Uint8Array): NodeKey
  createDecipheriv(
    algorithm: 'aes-256-gcm',
    key: NodeKey,
    iv: Uint8Array,
  ): {
    setAAD(aad: Uint8Array): unknown
    setAuthTag(tag: Uint8Array): unknown
    update(data: Uint8Array): Uint8Array
    final(): Uint8Array
  }
  createPublicKey(key: { key: object; format: 'jwk' }): NodeKey
  verify(
    algorithm: string,
    data: Uint8Array,
    key:
      | NodeKey
      | { key: NodeKey; padding?: number; saltLength?: number; dsaEncoding?: 'ieee-p1363' },
    signature: Uint8Array,
  ): boolean
  constants: { RSA_PKCS1_PSS_PADDING: number }
}

/** A `KeyObject`: only what bezzie reads from it. */
export interface NodeKey {
  asymmetricKeyDetails?: { modulusLength?: number }
}

/**
 * Node's crypto module on Node, else `undefined`. Why: Node runs Web Crypto on libuv's thread
 * pool, so every `crypto.subtle` call is a hand-off to another thread and back, which costs more
 * than decrypting a session record or verifying a signature. `node:crypto`
 * does them on the calling thread. workerd runs Web Crypto on the request's own thread, so it
 * keeps using Web Crypto (as do runtimes without `process.getBuiltinModule`).
 */
function load(): NodeCrypto | undefined {
  const host = globalThis as {
    navigator?: { userAgent?: string }
    process?: { getBuiltinModule?: (id: string) => unknown }
  }
  if (host.navigator?.userAgent === 'Cloudflare-Workers') return undefined
  try {
    const m = host.process?.getBuiltinModule?.('node:crypto') as
      | Record<keyof NodeCrypto, unknown>
      | undefined
    const used = ['hkdfSync', 'createSecretKey', 'createDecipheriv', 'createPublicKey', 'verify']
    return m && used.every((f) => typeof m[f as keyof NodeCrypto] === 'function')
      ? (m as unknown as NodeCrypto)
      : undefined
  } catch {
    return undefined
  }
}

export const nodeCrypto: NodeCrypto | undefined = load()

import { nodeCrypto } from '../platform/crypto.ts'
import { fromB64u } from '../session/encoding.ts'
import type { NodeKey } from '../session/node-crypto.ts'

/**
 * A JWT access token's signature checked without jose's machinery: jose's `jwtVerify` costs
 * more than the RSA verification it wraps, and on Node it goes through Web Crypto, which Node
 * runs on libuv's thread pool (a hand-off that costs more than the verification itself). On Node
 * this runs on the request's thread with `node:crypto`; elsewhere (workerd) with Web Crypto,
 * which runs on the request's thread there, with the imported key kept.
 *
 * This path can only accept. It accepts exactly what jose's `jwtVerify` with a remote key set
 * and `{ issuer, audience, clockTolerance }` accepts, and only in the plain case: a compact JWS
 * without `crit`, signed with RSA (RS256/384/512, PS256/384/512: what IdPs sign access tokens
 * with by default), exactly one matching public key in a key set that jose holds fresh.
 * Anything else (an unusual header or key, a signature or claim that fails, keys being fetched)
 * answers `undefined`, and jose decides with its own error.
 */

/** What the synchronous path needs of jose's remote key set. */
export interface KeySetView {
  readonly fresh: boolean
  readonly reloading: boolean
  jwks(): { keys: Record<string, unknown>[] } | undefined
}

type Jwk = Record<string, unknown>

/** JWK members of a private or secret key: such a set is jose's to refuse. */
const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv']

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** The JSON object in a base64url segment (what jose's `isObject` accepts); else `undefined`. */
export function segment(part: string): Jwk | undefined {
  try {
    const value: unknown = JSON.parse(strictUtf8.decode(fromB64u(part)))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Jwk)
      : undefined
  } catch {
    return undefined
  }
}

/** A key imported for verification: Node's, or Web Crypto's (`null`: jose decides). */
type Imported = NodeKey | Promise<CryptoKey | null>

interface KeyTable {
  /** How many times jose had fetched the set when this table was taken from it. */
  generation: number
  keys: Jwk[]
  /** Keys imported so far, by `<index in keys> <alg>`; `null` where jose decides. */
  imported: Map<string, Imported | null>
}

const tables = new WeakMap<KeySetView, KeyTable>()

/** jose's test of whether a key in the set may verify `alg` with this `kid` (jwks/local.js). */
const usable = (jwk: Jwk, alg: string, kid: unknown) => {
  const ops = jwk.key_ops
  return (
    (jwk.ext === undefined || typeof jwk.ext === 'boolean') &&
    (ops === undefined ||
      (Array.isArray(ops) &&
        ops.every((o, i) => typeof o === 'string' && ops.indexOf(o) === i) &&
        ops.includes('verify'))) &&
    jwk.kty === 'RSA' &&
    (kid === undefined || kid === jwk.kid) &&
    (jwk.alg === undefined || jwk.alg === alg) &&
    (jwk.use === undefined || jwk.use === 'sig')
  )
}

/** Web Crypto's import of `jwk` for `alg`, as jose imports it (jose/lib/key.js `jwkToKey`). */
async function webCryptoKey(jwk: Jwk, alg: string): Promise<CryptoKey | null> {
  const { alg: _alg, use: _use, ...data } = jwk
  const key = await crypto.subtle
    .importKey(
      'jwk',
      { ...data, ext: true } as JsonWebKey,
      { name: alg[0] === 'P' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: `SHA-${alg.slice(2)}` },
      true,
      (jwk.key_ops as ['verify'] | undefined) ?? ['verify'],
    )
    .catch(() => null)
  return key && ((key.algorithm as { modulusLength?: number }).modulusLength ?? 0) >= 2048
    ? key
    : null
}

/** `set`'s table as of fetch `generation`, taken from jose once per generation. */
function tableFor(set: KeySetView, generation: number): KeyTable | undefined {
  let table = tables.get(set)
  if (table?.generation !== generation) {
    const keys = set.jwks()?.keys
    if (!Array.isArray(keys)) return undefined
    table = { generation, keys, imported: new Map() }
    tables.set(set, table)
  }
  return table
}

/**
 * The keys jose holds in `set` as of its fetch `generation`. Taken once per generation: jose's
 * `jwks()` answers a deep copy (`structuredClone`) of the whole set on every call, which cost a
 * cold read more than everything else its mark check does. While the set is being fetched again,
 * an uncached copy (what the new generation holds is not known yet).
 */
export function heldKeys(set: KeySetView, generation: number): Jwk[] | undefined {
  if (set.reloading) {
    const keys = set.jwks()?.keys
    return Array.isArray(keys) ? keys : undefined
  }
  return tableFor(set, generation)?.keys
}

/** The one key jose would pick for this header, imported; `undefined` when jose decides. */
function keyFor(set: KeySetView, generation: number, alg: string, kid: unknown) {
  const table = tableFor(set, generation)
  if (!table) return undefined
  const found = table.keys.flatMap((jwk, i) => (usable(jwk, alg, kid) ? [i] : []))
  // None, or several (jose tries each in turn): jose decides.
  if (found.length !== 1 || (kid !== undefined && typeof kid !== 'string')) return undefined
  const id = `${found[0]} ${alg}`
  let key = table.imported.get(id)
  if (key === undefined) {
    key = null
    const jwk = table.keys[found[0] as number] as Jwk
    // Only what Web Crypto imports alike: a public key, key_ops (if any) just "verify", and
    // a modulus of at least 2048 bits (jose refuses shorter ones).
    if (
      !PRIVATE.some((m) => jwk[m] !== undefined) &&
      ((jwk.key_ops as unknown[] | undefined)?.length ?? 1) === 1
    ) {
      if (!nodeCrypto) key = webCryptoKey(jwk, alg)
      else
        try {
          const imported = nodeCrypto.createPublicKey({ key: jwk, format: 'jwk' })
          if ((imported.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) key = imported
        } catch {}
    }
    table.imported.set(id, key)
  }
  return key ?? undefined
}

/** jose's claim checks for `{ issuer, audience, clockTolerance }`: the claims, or `undefined`. */
export function checked(
  claims: Jwk | undefined,
  options: { issuer: string; audience: string; clockToleranceSeconds: number },
): Jwk | undefined {
  if (!claims) return undefined
  const { iss, aud, iat, nbf, exp } = claims
  const now = Math.floor(Date.now() / 1000)
  const tolerance = options.clockToleranceSeconds
  return Object.hasOwn(claims, 'iss') &&
    Object.hasOwn(claims, 'aud') &&
    iss === options.issuer &&
    (aud === options.audience || (Array.isArray(aud) && aud.includes(options.audience))) &&
    (iat === undefined || typeof iat === 'number') &&
    (nbf === undefined || (typeof nbf === 'number' && nbf <= now + tolerance)) &&
    (exp === undefined || (typeof exp === 'number' && exp > now - tolerance))
    ? claims
    : undefined
}

/**
 * The verified payload of `token` (which looks like a JWT) when it passes; `undefined` when jose
 * has to decide (see above). Synchronous on Node. `generation`: how many times jose has fetched
 * the set, so that keys it dropped are never used here.
 */
export function verifyFast(
  token: string,
  set: KeySetView,
  generation: number,
  options: { issuer: string; audience: string; clockToleranceSeconds: number },
): Jwk | undefined | Promise<Jwk | undefined> {
  if (!set.fresh || set.reloading) return undefined
  const [h, p, s] = token.split('.') as [string, string, string]
  const header = segment(h)
  const alg = header?.alg
  const bits = typeof alg === 'string' && /^[RP]S(256|384|512)$/.test(alg) && alg.slice(2)
  const key =
    bits && header?.crit === undefined && keyFor(set, generation, alg as string, header?.kid)
  if (!key) return undefined
  const pss = (alg as string)[0] === 'P'
  const input = new TextEncoder().encode(`${h}.${p}`)
  let signature: Uint8Array<ArrayBuffer>
  try {
    signature = fromB64u(s)
  } catch {
    return undefined
  }
  if (key instanceof Promise) {
    return key.then(async (k) => {
      const algorithm = pss
        ? { name: 'RSA-PSS', saltLength: Number(bits) / 8 }
        : 'RSASSA-PKCS1-v1_5'
      const ok =
        k && (await crypto.subtle.verify(algorithm, k, signature, input).catch(() => false))
      return checked(ok ? segment(p) : undefined, options)
    })
  }
  const node = nodeCrypto
  let ok = false
  try {
    // A KeyObject as it is for RS*: Node tells an options object from a key by catching two
    // exceptions, which took longer than the verification.
    ok = !!node?.verify(
      `sha${bits}`,
      input,
      pss
        ? { key, padding: node.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 }
        : key,
      signature,
    )
  } catch {}
  return checked(ok ? segment(p) : undefined, options)
}

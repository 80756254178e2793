import { fromB64u } from '../session/encoding.ts'
import { type NodeKey, nodeCrypto } from '../session/node-crypto.ts'

/**
 * On Node, a JWT access token's signature verified on the request's thread with `node:crypto`:
 * jose verifies through Web Crypto, which Node runs on libuv's thread pool, and that hand-off
 * costs more than the RSA verification itself. workerd runs Web Crypto on the request's thread
 * and keeps jose.
 *
 * This path can only accept. It accepts exactly what jose's `jwtVerify` with a remote key set
 * and `{ issuer, audience, clockTolerance }` accepts, and only in the plain case: a compact JWS
 * without `crit`, signed with RSA (RS256/384/512, PS256/384/512: what IdPs sign access tokens
 * with by default), exactly one matching public key in a key set that jose holds fresh. Anything else (an unusual header or key, a signature or claim
 * that fails, keys being fetched) answers `undefined`, and jose decides with its own error.
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
function segment(part: string): Jwk | undefined {
  try {
    const value: unknown = JSON.parse(strictUtf8.decode(fromB64u(part)))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Jwk)
      : undefined
  } catch {
    return undefined
  }
}

interface KeyTable {
  /** How many times jose had fetched the set when this table was taken from it. */
  generation: number
  keys: Jwk[]
  /** Keys imported so far, by index in `keys`; `null` where jose decides. */
  imported: (NodeKey | null | undefined)[]
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

/** The one key jose would pick for this header, imported; `undefined` when jose decides. */
function keyFor(set: KeySetView, generation: number, alg: string, kid: unknown) {
  const node = nodeCrypto
  let table = tables.get(set)
  if (table?.generation !== generation) {
    const keys = set.jwks()?.keys
    if (!node || !Array.isArray(keys)) return undefined
    table = { generation, keys, imported: [] }
    tables.set(set, table)
  }
  const found = table.keys.flatMap((jwk, i) => (usable(jwk, alg, kid) ? [i] : []))
  // None, or several (jose tries each in turn): jose decides.
  if (found.length !== 1 || (kid !== undefined && typeof kid !== 'string')) return undefined
  const i = found[0] as number
  let key = table.imported[i]
  if (key === undefined) {
    key = null
    const jwk = table.keys[i] as Jwk
    // Only what Web Crypto imports alike: a public key, key_ops (if any) just "verify", and
    // a modulus of at least 2048 bits (jose refuses shorter ones).
    if (
      !PRIVATE.some((m) => jwk[m] !== undefined) &&
      ((jwk.key_ops as unknown[] | undefined)?.length ?? 1) === 1
    ) {
      try {
        const imported = node?.createPublicKey({ key: jwk, format: 'jwk' })
        if ((imported?.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) key = imported ?? null
      } catch {}
    }
    table.imported[i] = key
  }
  return key ?? undefined
}

/**
 * The verified payload of `token` (which looks like a JWT) when it passes on this thread;
 * `undefined` when jose has to decide (see above). `generation`: how many times jose has fetched
 * the set, so that keys it dropped are never used here.
 */
export function verifySync(
  token: string,
  set: KeySetView,
  generation: number,
  options: { issuer: string; audience: string; clockToleranceSeconds: number },
): Jwk | undefined {
  const node = nodeCrypto
  if (!node || !set.fresh || set.reloading) return undefined
  const [h, p, s] = token.split('.') as [string, string, string]
  const header = segment(h)
  const alg = header?.alg
  const hash = typeof alg === 'string' && /^[RP]S(256|384|512)$/.test(alg) && `sha${alg.slice(2)}`
  const key =
    hash && header?.crit === undefined && keyFor(set, generation, alg as string, header?.kid)
  if (!key) return undefined
  let claims: Jwk | undefined
  try {
    const pss = alg?.[0] === 'P'
    // A KeyObject as it is for RS*: Node tells an options object from a key by catching two
    // exceptions, which took longer than the verification.
    const verified = node.verify(
      hash,
      new TextEncoder().encode(`${h}.${p}`),
      pss
        ? {
            key,
            padding: node.constants.RSA_PKCS1_PSS_PADDING,
            saltLength: Number(alg?.slice(2)) / 8,
          }
        : key,
      fromB64u(s),
    )
    claims = verified ? segment(p) : undefined
  } catch {}
  if (!claims) return undefined
  // jose's claim checks for { issuer, audience, clockTolerance }.
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

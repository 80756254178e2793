import { importJWK } from 'jose'
import * as oauth from 'oauth4webapi'
import { ConfigError } from '../errors.ts'

/**
 * A private JSON Web Key for `private_key_jwt` client authentication (RFC 7517), e.g.
 * `JSON.parse(env.CLIENT_PRIVATE_JWK)`. RSA (`RS*`/`PS*`), EC (`ES256`/`ES384`/`ES512`) or
 * Ed25519 (`EdDSA`); `alg` defaults from the key type (RSA → `RS256`, P-256 → `ES256`, …).
 */
export interface ClientPrivateKey {
  kty: string
  /** Key id, sent in the assertion's header so the IdP finds the public key. Required with several keys. */
  kid?: string
  /** JWS algorithm. Default: from `kty` / `crv`. */
  alg?: string
  /** The private part: a public key alone cannot sign. */
  d: string
  [member: string]: unknown
}

/** A validated signing key with its algorithm settled. */
export interface ResolvedClientKey {
  jwk: ClientPrivateKey
  alg: string
}

const ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
])
const EC_ALG: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }
/** Members of a JWK that are private key material (RFC 7518 §6). */
const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])

/** The public members of `jwk`: without private key material and `key_ops`. */
export function publicMembers(jwk: ClientPrivateKey): Record<string, unknown> {
  const pub: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(jwk))
    if (!PRIVATE_MEMBERS.has(k) && k !== 'key_ops') pub[k] = v
  return pub
}

function defaultAlg(jwk: ClientPrivateKey): string | undefined {
  if (jwk.kty === 'RSA') return 'RS256'
  if (jwk.kty === 'EC') return EC_ALG[String(jwk.crv)]
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA'
  return undefined
}

/**
 * Validates `clientPrivateKey` (one key, or several during a rotation: the first signs, all are
 * published at the JWKS route). Throws {@link ConfigError} naming the option.
 */
export function resolveClientKeys(value: unknown, name = 'clientPrivateKey'): ResolvedClientKey[] {
  if (value === undefined) return []
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) throw new ConfigError(name, 'must not be an empty array')
  const kids = new Set<string>()
  return list.map((jwk: unknown, i) => {
    const option = Array.isArray(value) ? `${name}[${i}]` : name
    if (
      typeof jwk !== 'object' ||
      jwk === null ||
      typeof (jwk as ClientPrivateKey).kty !== 'string'
    ) {
      throw new ConfigError(option, 'must be a JSON Web Key object (did you forget JSON.parse?)')
    }
    const key = jwk as ClientPrivateKey
    if (typeof key.d !== 'string') {
      throw new ConfigError(
        option,
        'must be a private key (it has no "d"); the IdP holds the public key',
      )
    }
    const alg = key.alg ?? defaultAlg(key)
    if (alg === undefined || !ALGORITHMS.has(alg)) {
      throw new ConfigError(
        option,
        `has an unsupported algorithm ${JSON.stringify(alg ?? key.kty)}`,
      )
    }
    if (list.length > 1 && (typeof key.kid !== 'string' || key.kid === '')) {
      throw new ConfigError(option, 'needs a "kid": with several keys the IdP must tell them apart')
    }
    if (key.kid !== undefined) {
      if (kids.has(key.kid))
        throw new ConfigError(option, `repeats the kid ${JSON.stringify(key.kid)}`)
      kids.add(key.kid)
    }
    return { jwk: key, alg }
  })
}

// Isolate level: createBezzie() may run per request, importing a key must not.
const imported = new Map<string, Promise<CryptoKey>>()

/**
 * `private_key_jwt` client authentication with the first key: a signed assertion per request
 * (oauth4webapi sets `iss`/`sub` to the client id, `aud` to the issuer, a fresh `jti`, 60 s
 * expiry).
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export async function privateKeyJwt(keys: ResolvedClientKey[]): Promise<oauth.ClientAuth> {
  const first = keys[0] as ResolvedClientKey
  const id = JSON.stringify(first.jwk)
  let key = imported.get(id)
  if (!key) {
    key = importJWK({ ...first.jwk, alg: first.alg }, first.alg, { extractable: false }).then(
      (k) => k as CryptoKey,
    )
    key.catch(() => imported.delete(id))
    imported.set(id, key)
  }
  let cryptoKey: CryptoKey
  try {
    cryptoKey = await key
  } catch (e) {
    throw new ConfigError(
      'clientPrivateKey',
      `cannot be imported as a ${first.alg} key: ${(e as Error).message}`,
    )
  }
  return oauth.PrivateKeyJwt(
    first.jwk.kid === undefined ? cryptoKey : { key: cryptoKey, kid: first.jwk.kid },
  )
}

/**
 * The public halves of every configured key, for the IdP to fetch (`jwks_uri` of the client
 * registration): publishing the next key before it signs is how a rotation avoids a gap.
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function publicJwks(keys: ResolvedClientKey[]): { keys: Record<string, unknown>[] } {
  return {
    keys: keys.map(({ jwk, alg }) => ({ use: 'sig', alg, ...publicMembers(jwk) })),
  }
}

/** Options of DPoP (`dpop` in the config). */
export interface DpopOptions {
  /**
   * The BFF's DPoP key: a private JSON Web Key (keep it in Workers secrets, e.g.
   * `JSON.parse(env.DPOP_PRIVATE_JWK)`), EC (`ES256` by default for P-256), RSA or Ed25519, with
   * its public members (`x`/`y`, or `n`/`e`). Every isolate and instance then signs with the same
   * key. Default: an ES256 key generated at first use and kept in the session store, shared by
   * every isolate (written with set-if-absent, so concurrent first uses agree on one key; on a
   * store without it, Cloudflare KV, configure this instead).
   */
  privateKey?: ClientPrivateKey
}

/** DPoP settled: a configured key, or `undefined` for one generated and kept in the store. */
export interface ResolvedDpop {
  key: ResolvedClientKey | undefined
}

/**
 * Validates the `dpop` option (`true`, or {@link DpopOptions}). Throws {@link ConfigError} naming
 * the option.
 */
export function resolveDpop(value: unknown): ResolvedDpop | undefined {
  if (value === undefined || value === false) return undefined
  if (value === true) return { key: undefined }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('dpop', 'must be true, false or { privateKey }')
  }
  const { privateKey } = value as DpopOptions
  if (privateKey === undefined) return { key: undefined }
  if (Array.isArray(privateKey)) throw new ConfigError('dpop.privateKey', 'must be one key')
  const [key] = resolveClientKeys(privateKey, 'dpop.privateKey')
  const jwk = (key as ResolvedClientKey).jwk
  const hasPublic =
    jwk.kty === 'RSA'
      ? typeof jwk.n === 'string' && typeof jwk.e === 'string'
      : typeof jwk.x === 'string' && (jwk.kty !== 'EC' || typeof jwk.y === 'string')
  if (!hasPublic) {
    throw new ConfigError(
      'dpop.privateKey',
      'needs its public members too (x/y or n/e): every proof carries the public key',
    )
  }
  return { key }
}

import { exportJWK, generateKeyPair, importJWK } from 'jose'
import * as oauth from 'oauth4webapi'
import type { ResolvedConfig } from '../config.ts'
import { ConfigError } from '../errors.ts'
import type { SessionStore } from '../session/store.ts'
import { publicMembers, type ResolvedClientKey } from './client-auth.ts'

/** Algorithm of a generated DPoP key. */
const GENERATED_ALG = 'ES256'

// Isolate level: one handle per key, so oauth4webapi's per-origin nonce cache (inside the handle)
// serves every request of the isolate, and the key is imported (or read from the store) once.
const handles = new Map<string, Promise<oauth.DPoPHandle>>()

async function importPair(key: ResolvedClientKey, option: string): Promise<CryptoKeyPair> {
  const { key_ops: _ops, use: _use, ...rest } = key.jwk
  const privateJwk = { ...rest, alg: key.alg }
  const { use: _pubUse, ...publicJwk } = publicMembers(key.jwk)
  try {
    const [privateKey, publicKey] = await Promise.all([
      importJWK(privateJwk, key.alg, { extractable: false }),
      // oauth4webapi puts the public key in every proof's header: it must be exportable.
      importJWK({ ...publicJwk, alg: key.alg }, key.alg, { extractable: true }),
    ])
    return { privateKey: privateKey as CryptoKey, publicKey: publicKey as CryptoKey }
  } catch (e) {
    throw new ConfigError(option, `cannot be imported as a ${key.alg} key: ${(e as Error).message}`)
  }
}

async function generatedJwk(): Promise<string> {
  const { privateKey } = await generateKeyPair(GENERATED_ALG, { extractable: true })
  return JSON.stringify({ ...(await exportJWK(privateKey)), alg: GENERATED_ALG })
}

async function createHandle(config: ResolvedConfig, store: SessionStore) {
  const configured = config.dpop?.key
  let pair: CryptoKeyPair
  if (configured) pair = await importPair(configured, 'dpop.privateKey')
  else {
    const jwk = JSON.parse(await store.dpopKey(generatedJwk)) as ResolvedClientKey['jwk']
    pair = await importPair({ jwk, alg: jwk.alg ?? GENERATED_ALG }, 'dpop')
  }
  return oauth.DPoP({}, pair)
}

/**
 * The BFF's DPoP handle (RFC 9449) when `dpop` is configured, else `undefined`: it signs a proof
 * per request with the configured key, or with the key generated once and kept in `store`
 * ({@link SessionStore.dpopKey}), and remembers each origin's latest `DPoP-Nonce`. One per key per
 * isolate; a failure to get the key is not remembered.
 */
export function dpopHandle(
  config: ResolvedConfig,
  store: SessionStore,
): Promise<oauth.DPoPHandle> | undefined {
  if (!config.dpop) return undefined
  const id = config.dpop.key
    ? `key\n${JSON.stringify(config.dpop.key.jwk)}`
    : `store\n${config.issuer.href}\n${config.clientId}`
  let handle = handles.get(id)
  if (!handle) {
    handle = createHandle(config, store)
    handle.catch(() => handles.delete(id))
    handles.set(id, handle)
  }
  return handle
}

/** Test seam: forgets every DPoP handle (and so every cached nonce and stored-key read). */
export function clearDpopHandles(): void {
  handles.clear()
}

/**
 * Runs a token request (`attempt`, which sends a proof with `dpop` and processes the answer) and,
 * when the server asks for a nonce (`use_dpop_nonce`, RFC 9449 §8: the handle has kept the
 * `DPoP-Nonce` it sent), runs it once more.
 */
export async function retryOnDpopNonce<T>(
  dpop: oauth.DPoPHandle | undefined,
  attempt: () => Promise<T>,
): Promise<T> {
  try {
    return await attempt()
  } catch (e) {
    if (dpop && oauth.isDPoPNonceError(e)) return attempt()
    throw e
  }
}

/**
 * Why a token response to a DPoP request is unacceptable (a `token_type` other than `DPoP`: the
 * IdP ignored the proof and issued a bearer token), or `undefined` when it is fine or DPoP is off.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export function dpopTokenTypeProblem(
  dpop: oauth.DPoPHandle | undefined,
  tokenType: unknown,
): string | undefined {
  if (!dpop || (typeof tokenType === 'string' && tokenType.toLowerCase() === 'dpop')) return
  return `the IdP answered a ${JSON.stringify(tokenType)} token to a DPoP request (does it support DPoP for this client?)`
}

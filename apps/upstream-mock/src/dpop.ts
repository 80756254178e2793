import { calculateJwkThumbprint, EmbeddedJWK, errors, type JWTPayload, jwtVerify } from 'jose'
import { ApiError } from './errors.ts'

/** Proof algorithms this API accepts (asymmetric only), as announced in its `DPoP` challenges. */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA', 'Ed25519']

/** How far (in seconds) a proof's `iat` may be from this API's clock, either way. */
export const PROOF_IAT_WINDOW_SECONDS = 60

/** Seconds one server nonce is issued for; the previous one is still accepted. */
const NONCE_STEP_SECONDS = 60

/** The `WWW-Authenticate` challenge of a DPoP failure. */
export function dpopChallenge(error: string, description?: string): string {
  const parts = [`error="${error}"`]
  if (description) parts.push(`error_description="${description.replace(/["\\]/g, '')}"`)
  parts.push(`algs="${DPOP_ALGORITHMS.join(' ')}"`)
  return `DPoP ${parts.join(', ')}`
}

/** A 401 `invalid_dpop_proof` with its `DPoP` challenge. */
function invalidProof(message: string): ApiError {
  return new ApiError(401, 'invalid_dpop_proof', message, {
    headers: { 'www-authenticate': dpopChallenge('invalid_dpop_proof', message) },
  })
}

// Proofs seen in this isolate, by jti, until their iat window has passed: a proof captured on the
// way (a log, a proxy) cannot be sent again. Per isolate only: a replay that lands on another
// isolate within the window is not caught here (a Durable Object would be the place for that).
const seen = new Map<string, number>()

function rememberJti(jti: string, now: number): boolean {
  for (const [id, until] of seen) {
    if (until > now) break
    seen.delete(id)
  }
  if (seen.has(jti)) return false
  seen.set(jti, now + 2 * PROOF_IAT_WINDOW_SECONDS)
  return true
}

const encoder = new TextEncoder()
const b64u = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

/** `base64url(sha256(accessToken))`: the `ath` a proof for `accessToken` must carry. */
export async function accessTokenHash(accessToken: string): Promise<string> {
  return b64u(await crypto.subtle.digest('SHA-256', encoder.encode(accessToken)))
}

const nonceKeys = new Map<string, Promise<CryptoKey>>()

function nonceKey(secret: string): Promise<CryptoKey> {
  let key = nonceKeys.get(secret)
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    nonceKeys.set(secret, key)
  }
  return key
}

async function nonceFor(secret: string, step: number): Promise<string> {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await nonceKey(secret),
    encoder.encode(`dpop ${step}`),
  )
  return `${step.toString(36)}.${b64u(mac).slice(0, 22)}`
}

/** The nonce this API hands out now (stateless: an HMAC of the time step). */
export function currentNonce(secret: string, now: number): Promise<string> {
  return nonceFor(secret, Math.floor(now / NONCE_STEP_SECONDS))
}

async function nonceAccepted(secret: string, nonce: string, now: number): Promise<boolean> {
  const step = Math.floor(now / NONCE_STEP_SECONDS)
  for (const s of [step, step - 1]) if (nonce === (await nonceFor(secret, s))) return true
  return false
}

/** What a DPoP-protected request is checked against. */
export interface ProofExpectations {
  /** The request's method. */
  method: string
  /** The request's URL (its query and fragment are ignored, RFC 9449 §4.3). */
  url: string
  accessToken: string
  /** The `cnf.jkt` of the verified access token. */
  jkt: string
  /** Require a nonce from this API, made with this secret. */
  nonceSecret?: string
  /** Epoch seconds. */
  now: number
}

/**
 * Verifies a DPoP proof (RFC 9449 §4.3 and §7.1): exactly one compact JWS of type `dpop+jwt`,
 * signed by the public key in its own `jwk` header with an accepted algorithm; `htm` and `htu`
 * naming this request; `iat` within {@link PROOF_IAT_WINDOW_SECONDS}; a `jti` not seen before in
 * the window; `ath` the hash of the presented access token; the key's thumbprint the token's
 * `cnf.jkt`; and, when nonces are on, a nonce this API issued (else 401 `use_dpop_nonce` with a
 * fresh `DPoP-Nonce`).
 *
 * @throws {ApiError} 401 `invalid_dpop_proof` or `use_dpop_nonce`, with a `DPoP` challenge.
 */
export async function verifyProof(
  header: string | undefined,
  expected: ProofExpectations,
): Promise<void> {
  if (!header) throw invalidProof('A DPoP proof is required with a DPoP-bound access token')
  if (header.includes(',')) throw invalidProof('Exactly one DPoP proof is allowed')
  let payload: JWTPayload
  let jwk: Record<string, unknown>
  try {
    const verified = await jwtVerify(header, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: DPOP_ALGORITHMS,
    })
    payload = verified.payload
    jwk = verified.protectedHeader.jwk as Record<string, unknown>
  } catch (error) {
    if (error instanceof errors.JOSEError) throw invalidProof('The DPoP proof does not verify')
    throw error
  }
  if ('d' in jwk) throw invalidProof('The DPoP proof carries a private key')
  const { htm, htu, iat, jti, ath, nonce } = payload as JWTPayload & Record<string, unknown>
  if (typeof jti !== 'string' || jti.length < 8)
    throw invalidProof('The DPoP proof has no usable jti')
  if (htm !== expected.method) throw invalidProof('The DPoP proof was made for another method')
  const target = new URL(expected.url)
  target.search = ''
  target.hash = ''
  const claimed = typeof htu === 'string' ? URL.parse(htu) : null
  if (claimed) {
    claimed.search = ''
    claimed.hash = ''
  }
  if (claimed?.href !== target.href) throw invalidProof('The DPoP proof was made for another URL')
  if (typeof iat !== 'number' || Math.abs(expected.now - iat) > PROOF_IAT_WINDOW_SECONDS) {
    throw invalidProof('The DPoP proof is too old or from the future')
  }
  if (ath !== (await accessTokenHash(expected.accessToken))) {
    throw invalidProof('The DPoP proof was made for another access token')
  }
  if ((await calculateJwkThumbprint(jwk)) !== expected.jkt) {
    throw invalidProof('The DPoP proof key is not the key the access token is bound to')
  }
  if (expected.nonceSecret !== undefined) {
    if (
      typeof nonce !== 'string' ||
      !(await nonceAccepted(expected.nonceSecret, nonce, expected.now))
    ) {
      const fresh = await currentNonce(expected.nonceSecret, expected.now)
      throw new ApiError(401, 'use_dpop_nonce', "The DPoP proof must carry this API's nonce", {
        headers: {
          'www-authenticate': dpopChallenge(
            'use_dpop_nonce',
            'Resource server requires nonce in DPoP proof',
          ),
          'dpop-nonce': fresh,
        },
      })
    }
  }
  // Last, so a proof refused for another reason can be fixed and is not burnt.
  if (!rememberJti(jti, expected.now)) throw invalidProof('The DPoP proof was used before')
}

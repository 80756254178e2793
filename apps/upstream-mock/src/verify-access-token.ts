import { errors, type JWTPayload, jwtVerify } from 'jose'
import type { Config } from './config.ts'
import { ApiError } from './errors.ts'
import { issuerKeys } from './issuer-keys.ts'

/** The claims this API relies on, from a verified access token. */
export interface AccessTokenClaims extends JWTPayload {
  sub: string
  /** Space-separated scopes granted to the token, if the provider includes them. */
  scope?: string
  /** Confirmation: `jkt` is the thumbprint of the DPoP key the token is bound to (RFC 9449 §6). */
  cnf?: { jkt?: string }
}

/**
 * Asymmetric algorithms only: accepting `HS*` would let anyone who knows a public key forge
 * tokens (algorithm confusion), and `none` is never acceptable.
 */
export const ACCEPTED_ALGORITHMS = [
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
  'Ed25519',
]

/**
 * Verifies a JWT access token: signature against the issuer's JWKS, `iss`, `aud`, `exp`/`nbf`
 * (no clock tolerance) and a `sub`.
 *
 * @throws {ApiError} 403 `invalid_token` for any token this API must not accept;
 *   502/503 `issuer_unavailable` when the keys cannot be obtained.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4 (validating JWT access tokens)
 */
export async function verifyAccessToken(token: string, config: Config): Promise<AccessTokenClaims> {
  const keys = await issuerKeys(config.issuer)
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: ACCEPTED_ALGORITHMS,
      requiredClaims: ['exp', 'sub'],
    })
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new ApiError(403, 'invalid_token', 'The access token has no subject')
    }
    const cnf = payload.cnf as { jkt?: unknown } | undefined
    if (
      cnf !== undefined &&
      (typeof cnf !== 'object' ||
        cnf === null ||
        (cnf.jkt !== undefined && typeof cnf.jkt !== 'string'))
    ) {
      throw new ApiError(403, 'invalid_token', 'The access token cnf claim is malformed')
    }
    if (payload.scope !== undefined && typeof payload.scope !== 'string') {
      throw new ApiError(403, 'invalid_token', 'The access token scope claim is not a string')
    }
    return payload as AccessTokenClaims
  } catch (error) {
    throw classify(error)
  }
}

function classify(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof errors.JWTExpired) {
    return new ApiError(403, 'invalid_token', 'The access token has expired')
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new ApiError(
      403,
      'invalid_token',
      `The access token was rejected: ${describeClaim(error)}`,
    )
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JWSSignatureVerificationFailed
  ) {
    return new ApiError(
      403,
      'invalid_token',
      'The access token signature is not valid for this issuer',
    )
  }
  if (
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid
  ) {
    return new ApiError(
      403,
      'invalid_token',
      'The access token is malformed or uses a forbidden algorithm',
    )
  }
  if (error instanceof errors.JWKSTimeout) {
    return new ApiError(503, 'issuer_unavailable', 'The OpenID Provider JWKS request timed out', {
      cause: error,
    })
  }
  if (error instanceof errors.JOSEError) {
    return new ApiError(502, 'issuer_unavailable', 'The OpenID Provider JWKS could not be used', {
      cause: error,
    })
  }
  // Anything else here is fetch failing to reach the jwks_uri.
  return new ApiError(503, 'issuer_unavailable', 'The OpenID Provider JWKS is unreachable', {
    cause: error,
  })
}

function describeClaim(error: InstanceType<typeof errors.JWTClaimValidationFailed>): string {
  switch (error.claim) {
    case 'aud':
      return 'it was not issued for this audience'
    case 'iss':
      return 'it was not issued by the expected issuer'
    case 'nbf':
      return 'it is not valid yet'
    default:
      return `the "${error.claim}" claim is invalid`
  }
}

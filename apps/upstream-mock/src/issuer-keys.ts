import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose'
import { ApiError } from './errors.ts'

/** Timeout (in milliseconds) for the discovery and JWKS requests to the OpenID Provider. */
export const ISSUER_TIMEOUT_MS = 5000

/*
 * One key set per issuer for the life of the isolate, so a steady-state request makes no call to
 * the OpenID Provider; jose refetches the JWKS by itself when it meets an unknown `kid`.
 */
const keySets = new Map<string, Promise<JWTVerifyGetKey>>()

/**
 * The key resolver for `issuer`, found through its OpenID Connect discovery document.
 * A failed discovery is not cached, so the next request retries.
 *
 * @throws {ApiError} 503 `issuer_unavailable` when the provider cannot be reached, 502 when it
 *   answers with something other than a discovery document for this issuer.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3 (issuer must match)
 */
export function issuerKeys(issuer: string): Promise<JWTVerifyGetKey> {
  let keys = keySets.get(issuer)
  if (!keys) {
    keys = discoverKeySet(issuer)
    keySets.set(issuer, keys)
    keys.catch(() => keySets.delete(issuer))
  }
  return keys
}

async function discoverKeySet(issuer: string): Promise<JWTVerifyGetKey> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
  let response: Response
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(ISSUER_TIMEOUT_MS),
    })
  } catch (cause) {
    throw new ApiError(
      503,
      'issuer_unavailable',
      `The OpenID Provider at ${issuer} is unreachable`,
      {
        cause,
      },
    )
  }
  if (!response.ok) {
    await response.body?.cancel()
    throw badGateway(`Discovery at ${url} answered HTTP ${response.status}`)
  }
  let metadata: unknown
  try {
    metadata = await response.json()
  } catch (cause) {
    throw badGateway(`Discovery at ${url} did not return JSON`, cause)
  }
  if (typeof metadata !== 'object' || metadata === null) {
    throw badGateway(`Discovery at ${url} did not return a JSON object`)
  }
  const { issuer: announced, jwks_uri: jwksUri } = metadata as Record<string, unknown>
  if (announced !== issuer) {
    throw badGateway(`Discovery at ${url} names issuer ${String(announced)}, expected ${issuer}`)
  }
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) {
    throw badGateway(`Discovery at ${url} has no valid jwks_uri`)
  }
  return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: ISSUER_TIMEOUT_MS })
}

function badGateway(message: string, cause?: unknown): ApiError {
  return new ApiError(502, 'issuer_unavailable', message, { cause })
}

import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose'
import { IDP_TIMEOUT_MS } from './http.ts'

type RemoteJwks = ReturnType<typeof createRemoteJWKSet>

// Module level: jose's remote set caches keys and refetches on an unknown `kid` (with cooldown).
const sets = new Map<string, RemoteJwks>()

/** The issuer's JSON Web Key Set at `uri`, one cached remote set per isolate. */
export function jwksFor(uri: string): RemoteJwks {
  let set = sets.get(uri)
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), {
      timeoutDuration: IDP_TIMEOUT_MS,
      cacheMaxAge: 10 * 60 * 1000,
      cooldownDuration: 30 * 1000,
    })
    sets.set(uri, set)
  }
  return set
}

/**
 * True when a verification failure says nothing about the token because the IdP's keys could not
 * be had: a network error, timeout, non-200 or unparsable JWKS response (jose reports the last two
 * as a plain `JOSEError`). Such a failure is an outage, never grounds to reject a user or token.
 */
export function isKeyFetchFailure(e: unknown): boolean {
  if (!(e instanceof joseErrors.JOSEError)) return true
  return (
    e instanceof joseErrors.JWKSTimeout ||
    e instanceof joseErrors.JWKSInvalid ||
    e.code === joseErrors.JOSEError.code
  )
}

/** True when `token` has the shape of a JWS compact serialization. */
export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)

/**
 * Verifies a JWT access token: signature against the issuer's JWKS, `iss`, `aud`, `exp`/`nbf`.
 * Rejects with jose's error on failure.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export async function verifyJwtAccessToken(
  token: string,
  options: { jwksUri: string; issuer: string; audience: string },
): Promise<void> {
  await jwtVerify(token, jwksFor(options.jwksUri), {
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: 5,
  })
}

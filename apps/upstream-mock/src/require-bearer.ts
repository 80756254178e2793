import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env.ts'
import { readConfig } from './config.ts'
import { dpopChallenge, verifyProof } from './dpop.ts'
import { ApiError } from './errors.ts'
import { verifyAccessToken } from './verify-access-token.ts'

// RFC 6750 section 2.1 / RFC 9449 section 7.1: the token68 syntax, scheme case-insensitive.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i
const DPOP = /^DPoP +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * Extracts the bearer token from an `Authorization` header value.
 *
 * @returns the token, or `undefined` when the header is absent or not a Bearer credential.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined
}

/** The access token and its scheme (`Bearer` or `DPoP`), or `undefined`. */
export function accessCredential(
  header: string | undefined,
): { scheme: 'Bearer' | 'DPoP'; token: string } | undefined {
  if (!header) return undefined
  const bearer = BEARER.exec(header)?.[1]
  if (bearer) return { scheme: 'Bearer', token: bearer }
  const dpop = DPOP.exec(header)?.[1]
  return dpop ? { scheme: 'DPoP', token: dpop } : undefined
}

/**
 * Rejects requests without a valid JWT access token and exposes its claims as `c.var.claims`
 * (and `c.var.tokenType`). 401 when no token is sent, 403 `invalid_token` when it is not
 * acceptable. A DPoP-bound token (`cnf.jkt`) is accepted only as `Authorization: DPoP` with a
 * proof of its key ({@link verifyProof}); presented as Bearer it is refused with 401 and a `DPoP`
 * challenge (RFC 9449 §7.2). `api` picks the audience: `"main"` (`AUDIENCE`, default) or
 * `"billing"` (`BILLING_AUDIENCE`).
 */
export function requireBearer(api: 'main' | 'billing' = 'main'): MiddlewareHandler<AppEnv> {
  return async function requireBearerToken(c, next) {
    const env = readConfig(c.env)
    const config = api === 'main' ? env : { ...env, audience: env.billingAudience }
    const credential = accessCredential(c.req.header('authorization'))
    if (!credential) {
      throw new ApiError(401, 'unauthorized', 'A bearer access token is required')
    }
    const claims = await verifyAccessToken(credential.token, config)
    const jkt = claims.cnf?.jkt
    if (credential.scheme === 'Bearer' && jkt !== undefined) {
      const message = 'The access token is DPoP-bound: send it as DPoP with a proof'
      throw new ApiError(401, 'invalid_token', message, {
        headers: { 'www-authenticate': dpopChallenge('invalid_token', message) },
      })
    }
    if (credential.scheme === 'DPoP') {
      if (jkt === undefined) {
        const message = 'The access token is not DPoP-bound: send it as Bearer'
        throw new ApiError(401, 'invalid_token', message, {
          headers: { 'www-authenticate': dpopChallenge('invalid_token', message) },
        })
      }
      await verifyProof(c.req.header('dpop'), {
        method: c.req.method,
        url: c.req.url,
        accessToken: credential.token,
        jkt,
        ...(env.dpopNonceSecret === undefined ? {} : { nonceSecret: env.dpopNonceSecret }),
        now: Math.floor(Date.now() / 1000),
      })
    }
    c.set('claims', claims)
    c.set('tokenType', credential.scheme)
    await next()
  }
}

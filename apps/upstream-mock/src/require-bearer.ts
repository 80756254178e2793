import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './app-env.ts'
import { readConfig } from './config.ts'
import { ApiError } from './errors.ts'
import { verifyAccessToken } from './verify-access-token.ts'

// RFC 6750 section 2.1: the b64token syntax, scheme matched case-insensitively.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * Extracts the bearer token from an `Authorization` header value.
 *
 * @returns the token, or `undefined` when the header is absent or not a Bearer credential.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined
}

/**
 * Rejects requests without a valid JWT access token and exposes its claims as `c.var.claims`.
 * 401 when no bearer token is sent, 403 `invalid_token` when it is not acceptable. `api` picks
 * the audience: `"main"` (`AUDIENCE`, default) or `"billing"` (`BILLING_AUDIENCE`).
 */
export function requireBearer(api: 'main' | 'billing' = 'main'): MiddlewareHandler<AppEnv> {
  return async function requireBearerToken(c, next) {
    const env = readConfig(c.env)
    const config = api === 'main' ? env : { ...env, audience: env.billingAudience }
    const token = bearerToken(c.req.header('authorization'))
    if (!token) {
      throw new ApiError(401, 'unauthorized', 'A bearer access token is required')
    }
    c.set('claims', await verifyAccessToken(token, config))
    await next()
  }
}

import * as oauth from 'oauth4webapi'
import { BezzieError, TokenRequestError } from '../errors.ts'
import { isTransient } from './http.ts'

// RFC 6749 §5.2 and RFC 8707 §2: codes a token endpoint answers with, safe to name in a message
// (they come server to server); anything else is the IdP's free text and is not repeated.
const TOKEN_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
])

/**
 * A {@link TokenRequestError} for a failed token request: 503 when the IdP was out of reach or
 * failing, 401 for `invalid_grant` (the user's grant is gone), else 502 naming the OAuth error.
 */
export function tokenRequestError(
  code: 'client_credentials_failed' | 'resource_token_failed' | 'pushed_authorization_failed',
  what: string,
  e: unknown,
): TokenRequestError {
  if (e instanceof TokenRequestError) return e
  if (isTransient(e) || (e instanceof BezzieError && e.status >= 500)) {
    return new TokenRequestError(code, `the IdP is unavailable; ${what} failed`, e, 503)
  }
  // A 401 with a WWW-Authenticate challenge (invalid_client at oidc-provider) carries its code there.
  const error =
    e instanceof oauth.ResponseBodyError
      ? e.error
      : e instanceof oauth.WWWAuthenticateChallengeError
        ? e.cause[0]?.parameters.error
        : undefined
  if (error !== undefined) {
    const named = TOKEN_ERRORS.has(error) ? ` (${error})` : ''
    const status = error === 'invalid_grant' ? 401 : 502
    return new TokenRequestError(code, `the IdP refused ${what}${named}`, e, status)
  }
  return new TokenRequestError(code, `${what} failed`, e, 502)
}

/**
 * Error codes an authorization endpoint may answer with (RFC 6749 §4.1.2.1, OpenID Connect Core
 * §3.1.2.6). Only these are passed on to the app; anything else is attacker-controllable text.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
const AUTHORIZATION_ERRORS = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'interaction_required',
  'login_required',
  'account_selection_required',
  'consent_required',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
  // RFC 8707: a resource (bezzie's `audience`) the authorization server does not know.
  'invalid_target',
])

/** The IdP's `error` when it is a registered authorization error code, else `"idp_error"`. */
export function authorizationErrorCode(error: string | null): string {
  return error !== null && AUTHORIZATION_ERRORS.has(error) ? error : 'idp_error'
}

/** Longest IdP `error_description` passed to `onError` (in characters). */
const MAX_DESCRIPTION = 200

/**
 * The IdP's `error_description`, made safe to log: only letters, digits, spaces and plain
 * punctuation survive (no markup, quotes, `=` or line breaks to forge log lines with), cut to
 * 200 characters. Only ever logged, never sent to the browser.
 */
export function scrubDescription(value: string | null): string | undefined {
  if (value === null) return undefined
  const clean = value
    .slice(0, MAX_DESCRIPTION * 2)
    .replace(/[^\w .,:;!?()/-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_DESCRIPTION)
  return clean === '' ? undefined : clean
}

/** What a `?auth_error=` or failed-login marker may hold; anything else reads as `idp_error`. */
export const knownAuthErrorCode = (value: string | undefined | null): string | null =>
  value === undefined || value === null ? null : authorizationErrorCode(value)

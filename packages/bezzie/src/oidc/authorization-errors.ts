/**
 * Error codes an authorization endpoint may answer with (RFC 6749 §4.1.2.1, OpenID Connect Core
 * §3.1.2.6). Only these are passed on to the app; anything else is attacker-controllable text.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
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
])

/** The IdP's `error` when it is a registered authorization error code, else `"idp_error"`. */
export function authorizationErrorCode(error: string | null): string {
  return error !== null && AUTHORIZATION_ERRORS.has(error) ? error : 'idp_error'
}

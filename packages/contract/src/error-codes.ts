/**
 * Codes of the errors the BFF raises. Each belongs to exactly one error class of `bezzie` (its
 * `code`), and is the `error` of the JSON body when that error ends a request.
 */
export const BEZZIE_ERROR_CODES = [
  'internal_error',
  'config_invalid',
  'discovery_failed',
  'login_transaction_missing',
  'state_mismatch',
  'idp_error',
  'callback_invalid',
  'token_exchange_failed',
  'id_token_invalid',
  'access_token_invalid',
  'login_hook_failed',
  'refresh_hook_failed',
  'logout_hook_failed',
  'refresh_failed',
  'refresh_token_invalid',
  'revocation_failed',
  'store_failed',
  'session_index_unsupported',
  'backchannel_logout_invalid',
  'client_credentials_failed',
  'resource_token_failed',
  'pushed_authorization_failed',
] as const

/** One of {@link BEZZIE_ERROR_CODES}. */
export type BezzieErrorCode = (typeof BEZZIE_ERROR_CODES)[number]

/** Codes only the HTTP layer answers with (no error class behind them). */
export const HTTP_ERROR_CODES = [
  /** No session (401). */
  'unauthorized',
  /** A guard refused the signed-in user (403). */
  'forbidden',
  /** A guard needs a scope the session was not granted (403). */
  'insufficient_scope',
  /** A guard needs a stronger or more recent authentication (403; navigations step up). */
  'insufficient_user_authentication',
  /** An unsafe request failed the CSRF check (403). */
  'csrf_failed',
  /** The access token expired and the IdP cannot refresh it right now (503 + `Retry-After`). */
  'idp_unavailable',
  /** A malformed request, e.g. a bad login parameter (400). */
  'invalid_request',
  /** `GET` on the logout route (405). */
  'method_not_allowed',
  /** A proxied path that is not allowed (400). */
  'invalid_path',
  /** The proxied API did not answer in time (504). */
  'upstream_timeout',
  /** The proxied API could not be reached (502). */
  'upstream_unreachable',
] as const

/**
 * Error codes an authorization endpoint may answer with (RFC 6749 §4.1.2.1, OpenID Connect Core
 * §3.1.2.6, RFC 8707). Only these are passed on from the IdP (as `?auth_error=`, or as the code of
 * a stopped login); anything else becomes `idp_error`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
 */
export const AUTHORIZATION_ERROR_CODES = [
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
  'invalid_target',
] as const

/** One of {@link AUTHORIZATION_ERROR_CODES}. */
export type AuthorizationErrorCode = (typeof AUTHORIZATION_ERROR_CODES)[number]

/** Every `error` a bezzie JSON error body can carry. Lowercase snake_case, stable across versions. */
export type ErrorCode = BezzieErrorCode | (typeof HTTP_ERROR_CODES)[number] | AuthorizationErrorCode

/**
 * The JSON body of every error response of the BFF's routes, middleware and proxy (except the
 * back-channel logout endpoint, which answers the IdP in OAuth's `{ error, error_description }`).
 * `message` is for people and may change; `error` is for code.
 */
export interface ErrorBody {
  error: ErrorCode
  message?: string
}

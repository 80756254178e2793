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

/** Every `error` a bezzie JSON error body can carry. Lowercase snake_case, stable across versions. */
export type ErrorCode = BezzieErrorCode | (typeof HTTP_ERROR_CODES)[number]

/**
 * The JSON body of every error response of the BFF's routes, middleware and proxy (except the
 * back-channel logout endpoint, which answers the IdP in OAuth's `{ error, error_description }`).
 * `message` is for people and may change; `error` is for code.
 */
export interface ErrorBody {
  error: ErrorCode
  message?: string
}

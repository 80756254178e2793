/** Where the BFF's routes are mounted unless configured otherwise: `app.route('/auth', …)`. */
export const DEFAULT_BASE_PATH = '/auth'

/**
 * The header the BFF's optional CSRF check requires on unsafe requests, and that bezzie-react's
 * `bezzieFetch` always sends, with the value {@link CSRF_HEADER_VALUE}. A cross-origin page
 * cannot set it without a CORS preflight.
 */
export const CSRF_HEADER = 'X-CSRF'

/** The value of {@link CSRF_HEADER}. */
export const CSRF_HEADER_VALUE = '1'

/**
 * The query parameter a failed login lands with on the SPA (`?auth_error=<code>`): an untrusted
 * hint, never the IdP's free text.
 */
export const AUTH_ERROR_PARAM = 'auth_error'

import { AUTH_ERROR_PARAM } from '@bezzie/contract'

/**
 * A failed login as the BFF reports it to the SPA: `?auth_error=<code>` on the URL it returns to.
 *
 * The code is a hint anyone can put in a link, never a proof that a login failed: show it as
 * text, and never act on it beyond not starting another login by itself.
 */
export interface AuthError {
  /**
   * A registered OAuth 2.0 / OpenID Connect error code (`access_denied`, `login_required`, …),
   * `idp_error` for anything else the BFF reported, or `login_not_completed` when a login that
   * `<Protected>` started came back without a session and without a code.
   */
  code: string
  /** A sentence for people, in English; map `code` to your own wording to translate it. */
  message: string
}

export { AUTH_ERROR_PARAM }

/** The code `<Protected>` reports when its own login came back, shortly after, still signed out. */
export const LOGIN_NOT_COMPLETED = 'login_not_completed'

const MESSAGES: Record<string, string> = {
  access_denied: 'The sign-in was cancelled or refused.',
  login_required: 'You need to sign in again.',
  interaction_required: 'The identity provider needs you to sign in again.',
  consent_required: 'The identity provider needs your consent before you can sign in.',
  account_selection_required: 'Choose an account at the identity provider to sign in.',
  temporarily_unavailable: 'The identity provider is temporarily unavailable.',
  server_error: 'The identity provider had a problem completing the sign-in.',
  invalid_request: 'The identity provider rejected the sign-in request.',
  unauthorized_client: 'This application is not allowed to sign you in.',
  unsupported_response_type: 'The identity provider rejected the sign-in request.',
  invalid_scope: 'The identity provider rejected the requested permissions.',
  invalid_target: 'The identity provider does not know the API this application asked for.',
  invalid_request_uri: 'The identity provider rejected the sign-in request.',
  invalid_request_object: 'The identity provider rejected the sign-in request.',
  request_not_supported: 'The identity provider rejected the sign-in request.',
  request_uri_not_supported: 'The identity provider rejected the sign-in request.',
  registration_not_supported: 'The identity provider rejected the sign-in request.',
  idp_error: 'The identity provider could not complete the sign-in.',
  [LOGIN_NOT_COMPLETED]: 'The sign-in did not complete, so it was not started again.',
}

/** The shape of every code the BFF sends; anything else in the URL is ignored. */
const CODE_PATTERN = /^[a-z_]{1,64}$/

/**
 * The {@link AuthError} for `code`: known codes keep their name, other well-formed codes become
 * `idp_error`, and a malformed value (or none) gives `null`.
 */
export function authErrorFromCode(code: string | null | undefined): AuthError | null {
  if (typeof code !== 'string' || !CODE_PATTERN.test(code)) return null
  const known = Object.hasOwn(MESSAGES, code) ? code : 'idp_error'
  return { code: known, message: MESSAGES[known] as string }
}

/** The {@link AuthError} of a URL's `?auth_error=`, or `null` when it has none (or a bad one). */
export function readAuthError(search: string): AuthError | null {
  return authErrorFromCode(new URLSearchParams(search).get(AUTH_ERROR_PARAM))
}

/** `href` without its `auth_error` parameter; path, other parameters and `#fragment` kept. */
export function withoutAuthError(href: string): string {
  const url = new URL(href, 'http://bezzie.invalid')
  url.searchParams.delete(AUTH_ERROR_PARAM)
  return url.pathname + url.search + url.hash
}

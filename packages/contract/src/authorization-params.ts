/**
 * Parameters the BFF's login route forwards from `GET {basePath}/login?…` to the authorization
 * request; unset ones are omitted. The app's fixed `authorizationParams` win over them.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
export interface AuthorizationParams {
  /** `login`, `consent`, `select_account` or `none` (OpenID Connect Core 1.0 §3.1.2.1). */
  prompt?: string
  /** Pre-fills the identifier on the IdP's login page. */
  login_hint?: string
  /** Asks the IdP for a specific screen, e.g. `signup` (Auth0 and others). */
  screen_hint?: string
  /** Preferred UI languages, space-separated BCP 47 tags. */
  ui_locales?: string
  /** Maximum authentication age, in seconds, before the IdP re-authenticates the user. */
  max_age?: number
  /** Requested Authentication Context Class References, space-separated. */
  acr_values?: string
  /** Organization to log in to (Auth0 Organizations). */
  organization?: string
  /** Organization invitation id (Auth0 Organizations). */
  invitation?: string
}

/** The names of {@link AuthorizationParams}, in the order the login URL lists them. */
export const AUTHORIZATION_PARAM_NAMES = [
  'prompt',
  'login_hint',
  'screen_hint',
  'ui_locales',
  'max_age',
  'acr_values',
  'organization',
  'invitation',
] as const satisfies ReadonlyArray<keyof AuthorizationParams>

/** One of {@link AUTHORIZATION_PARAM_NAMES}. */
export type AuthorizationParamName = (typeof AUTHORIZATION_PARAM_NAMES)[number]

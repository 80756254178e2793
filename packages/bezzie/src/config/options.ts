import type { SessionAdapter } from '../adapter.ts'
import type { ErrorPageRenderer } from '../error-page.ts'
import type { BezzieError } from '../errors.ts'
import type { ClientPrivateKey, DpopOptions } from '../oidc/client-auth.ts'
import type { LogoutUrlBuilder } from '../providers.ts'
import type { TimeoutsConfig } from '../timeouts.ts'
import type { ProviderOverrides } from './authorization.ts'
import type { CookieConfig } from './cookie.ts'
import type { CsrfConfig } from './csrf.ts'
import type { HooksConfig } from './hooks.ts'
import type { LogoutConfig } from './logout.ts'
import type { RoutesConfig } from './routes.ts'
import type { SessionConfig } from './session.ts'
import type { TokensConfig } from './tokens.ts'

/**
 * Configuration of `createBezzie`. Options come in groups (`session`, `cookie`, `tokens`,
 * `logout`, `hooks`, `csrf`, `routes`, `timeouts`); the seed's flat names (`sessionTtlSeconds`,
 * `cookieName`, `onLogin`, …) are still accepted, each the same as its grouped option. Setting
 * both forms of one option to different values is a `ConfigError` naming both.
 */
export interface BezzieConfig {
  /** OpenID Provider issuer URL. `https:` required, except `http://localhost` / `127.0.0.1`. */
  issuer: string
  /** OAuth client id. */
  clientId: string
  /** OAuth client secret (keep it in Workers secrets). Omit for a public client. */
  clientSecret?: string
  /**
   * Authenticate the client with a signed JWT (`private_key_jwt`, RFC 7523) instead of
   * `clientSecret`: a private JSON Web Key (keep it in Workers secrets, e.g.
   * `JSON.parse(env.CLIENT_PRIVATE_JWK)`), or several during a key rotation — the first signs, and
   * every key's public half is served at `{basePath}/jwks` for the IdP's `jwks_uri`. Register the
   * public key (or that URL) at the IdP. Not together with `clientSecret`. Default: none.
   * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
   */
  clientPrivateKey?: ClientPrivateKey | ClientPrivateKey[]
  /**
   * Send the authorization request's parameters to the IdP's pushed authorization request
   * endpoint first (PAR, RFC 9126) and redirect the browser with only a `request_uri`: the
   * parameters cannot be read or altered in the browser, and the client is authenticated before
   * the user sees a login page. `true` requires the IdP to offer PAR (an error at login names the
   * missing endpoint otherwise); `false` never uses it (an IdP that requires PAR then refuses the
   * login, and the error says so). Default: used when the IdP's metadata has
   * `require_pushed_authorization_requests: true`.
   * @see https://www.rfc-editor.org/rfc/rfc9126
   */
  pushedAuthorizationRequests?: boolean
  /**
   * Sender-constrained tokens (DPoP, RFC 9449): every token request carries a proof of the BFF's
   * key, so the IdP binds the access tokens to it (`cnf.jkt`, `token_type: "DPoP"`), and
   * `auth.proxy()` sends them as `Authorization: DPoP <token>` with a fresh proof per request
   * (`htm`, `htu`, `ath`, `jti`, `iat`). A token stolen from a log or the upstream is useless
   * without the key. Server nonces (`use_dpop_nonce`) from the IdP and the upstream are retried once
   * and remembered per origin. An IdP that answers a Bearer token to a DPoP request is refused: the
   * login fails (and says so) rather than silently downgrading. `true` generates the key (ES256) and
   * keeps it in the store; `{ privateKey }` uses yours. Default `false` (bearer tokens).
   * @see https://www.rfc-editor.org/rfc/rfc9449
   */
  dpop?: boolean | DpopOptions
  /** API audience: requested at login and checked as `aud` of JWT access tokens. */
  audience?: string
  /** Session store, e.g. `cloudflareKVAdapter(env.SESSION_KV)`. */
  adapter: SessionAdapter
  /** Public origin of the app, e.g. `"https://app.example.com"` (callback URL, CSRF origin). */
  baseUrl: string
  /**
   * Secret (at least 32 characters) enabling encryption of session records at rest and an
   * encrypted-cookie login transaction. An array rotates: the first encrypts, all decrypt.
   * Default: none (records stored unencrypted, transactions in the store).
   */
  secret?: string | string[]
  /** Session lifetimes (in seconds); see {@link SessionConfig}. */
  session?: SessionConfig
  /** The session cookie's name and `Secure` flag; see {@link CookieConfig}. */
  cookie?: CookieConfig
  /** Token refresh and verification; see {@link TokensConfig}. */
  tokens?: TokensConfig
  /** Logout: `id_token_hint`, back-channel logout; see {@link LogoutConfig}. */
  logout?: LogoutConfig
  /** `mapClaims`, `onLogin`, `onRefresh`, `onLogout`, `onError`; see {@link HooksConfig}. */
  hooks?: HooksConfig
  /** CSRF defence options; see {@link CsrfConfig}. */
  csrf?: CsrfConfig
  /** Route paths; see {@link RoutesConfig}. */
  routes?: RoutesConfig
  /** Time limits of store calls and token refreshes (in milliseconds); see {@link TimeoutsConfig}. */
  timeouts?: TimeoutsConfig
  /** Hard overrides for provider values. */
  providerOverrides?: ProviderOverrides
  /** Scopes requested at login. Default: the preset's, else `openid profile email offline_access`. */
  scopes?: string[]
  /** Extra fixed authorization request parameters (merged over the preset's). */
  authorizationParams?: Record<string, string>
  /**
   * Further APIs (RFC 8707 resource indicators) the user's tokens are for, besides `audience`. With
   * `audienceParam: "resource"` they are asked for at login next to `audience`, so the user's grant
   * covers them; a token for one is then obtained with the session's refresh token when
   * `auth.proxy({ resource })` or `c.var.getAccessToken({ resource })` first needs it. (Auth0
   * names each API with `audience` on the refresh instead: enable multi-resource refresh tokens
   * for the application.) Default: none.
   * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.1
   */
  resources?: string[]
  /** How `audience` is sent to the IdP; see {@link ProviderPreset.audienceParam}. Default `"resource"`. */
  audienceParam?: 'audience' | 'resource' | 'none'
  /**
   * The IdP's logout URL builder (presets set it). Default: none, and logout uses the discovery
   * document's `end_session_endpoint`, else returns straight to the landing page.
   * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
   */
  buildLogoutUrl?: LogoutUrlBuilder
  /** Where to land after login when no (valid) `returnTo` was given. Relative path; default `"/"`. */
  defaultReturnTo?: string
  /**
   * When the IdP answers the callback with an `error` (the user cancelled, or `prompt=none` found
   * no session) and the `state` matches this browser's login: `true` (default) redirects to the
   * login's `returnTo` (else `defaultReturnTo`) with `?auth_error=<code>`, where `<code>` is the
   * IdP's `error` if it is a registered OAuth/OIDC code (else `idp_error`); `error_description`
   * and `error_uri` are never passed on. `false` answers `400 { error: "idp_error" }` instead.
   * A callback error without a matching login is always that 400.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
   * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError
   */
  callbackErrorRedirect?: boolean
  /**
   * Renders the HTML page a failed browser navigation gets (IdP unreachable at login, a callback
   * error, a login stopped by the loop breaker); fetch/XHR requests get `{ error, message }` JSON
   * instead. It receives only fixed text (status, stable code, bezzie's message, a same-origin
   * retry URL). Default: a small self-contained page (`defaultErrorPage`).
   */
  errorPage?: ErrorPageRenderer

  // The seed's flat names, each the same as its grouped option (both set and different: a
  // ConfigError naming both).

  /** The seed's name of `session.idleTtlSeconds` (seconds). Default 86400; minimum 60. */
  sessionTtlSeconds?: number
  /** The seed's name of `session.absoluteTtlSeconds` (seconds). Default 604800. */
  absoluteSessionTtlSeconds?: number
  /** The seed's name of `session.touchIntervalSeconds` (seconds). Default 300. */
  touchIntervalSeconds?: number
  /** The seed's name of `cookie.name`. Default `"__Host-session"`. */
  cookieName?: string
  /** The seed's name of `cookie.secure`. Default `true`. */
  secureCookies?: boolean
  /** The seed's name of `tokens.refreshBufferSeconds` (seconds). Default 60. */
  refreshBufferSeconds?: number
  /**
   * The seed's name of `tokens.validateAccessToken`. Default `false`; needs `audience`. Checks the
   * signature once per token and keeps a mark of it in the session record (see
   * {@link TokensConfig.validateAccessToken}).
   */
  validateAccessToken?: boolean
  /** The seed's name of `tokens.clockToleranceSeconds` (seconds). Default 150. */
  clockToleranceSeconds?: number
  /** The seed's name of `logout.backchannel`. Default `false`. */
  backchannelLogout?: boolean
  /** The seed's name of `hooks.mapClaims`. Default: the standard profile claims. */
  mapClaims?: NonNullable<HooksConfig['mapClaims']>
  /** The seed's name of `hooks.onLogin`. Default: none. */
  onLogin?: NonNullable<HooksConfig['onLogin']>
  /** The seed's name of `hooks.onRefresh`. Default: none. */
  onRefresh?: NonNullable<HooksConfig['onRefresh']>
  /** The seed's name of `hooks.onLogout`. Default: none. */
  onLogout?: NonNullable<HooksConfig['onLogout']>
  /** The seed's name of `hooks.onError`. Default: `console.error`. */
  onError?: (error: BezzieError) => void
}

import { CSRF_HEADER, DEFAULT_BASE_PATH } from '@bezzie/contract'
import type { SessionAdapter } from './adapter.ts'
import { type Clock, systemClock, TEST_CLOCK } from './clock.ts'
import { defaultErrorPage, type ErrorPageRenderer } from './error-page.ts'
import { type BezzieError, ConfigError } from './errors.ts'
import {
  type ClientPrivateKey,
  type ResolvedClientKey,
  resolveClientKeys,
} from './oidc/client-auth.ts'
import type { LogoutUrlBuilder } from './providers.ts'
import { safeReturnTo } from './return-to.ts'
import { type ResolvedTimeouts, resolveTimeouts, type TimeoutsConfig } from './timeouts.ts'
import type { BezzieUser, LoginEvent, LogoutEvent, RefreshEvent } from './types.ts'

/** Route paths, relative to where `auth.routes()` is mounted. */
export interface RoutesConfig {
  /**
   * Where `auth.routes()` is mounted (`app.route(basePath, auth.routes())`). Used to build the
   * `redirect_uri` and the login redirect of `auth.middleware()`. Default `"/auth"`.
   */
  basePath?: string
  /** Default `"/login"`. */
  login?: string
  /** Default `"/callback"`. */
  callback?: string
  /** Default `"/logout"`. */
  logout?: string
  /** Default `"/me"`. */
  me?: string
  /** Default `"/backchannel-logout"`; served only with `backchannelLogout: true`. */
  backchannelLogout?: string
  /** Default `"/jwks"`; the public keys of `clientPrivateKey`, served only when it is set. */
  jwks?: string
  /**
   * Default `"/sessions"`: "your devices" — `GET` lists the user's sessions, `POST …/revoke`
   * ends one or all others. Served only with an adapter that has an index.
   */
  sessions?: string
}

/** CSRF defence options for unsafe-method requests that carry the session cookie. */
export interface CsrfConfig {
  /**
   * Additionally require this request header with the value `"1"` (Duende BFF's `X-CSRF`
   * pattern): a cross-origin page cannot set it without a CORS preflight. `true` means
   * `"X-CSRF"` ({@link CSRF_HEADER}), the header bezzie-react's `bezzieFetch` sends. Default: not
   * required.
   */
  requireHeader?: string | boolean
  /**
   * Accept `Sec-Fetch-Site: same-site` (a sibling subdomain such as `admin.example.com`), whatever
   * its `Origin`. Requests without Fetch Metadata must still carry `baseUrl`'s own `Origin`.
   * Default `false`.
   */
  allowSameSite?: boolean
  /**
   * Check every method, GET / HEAD / OPTIONS included, not only unsafe ones: a signed-in request
   * without `requireHeader: 1`, or from another site, gets 403 `csrf_failed` from
   * `auth.middleware()` (`auth.optionalMiddleware()` treats it as signed out). Stops a link or an
   * `<img>` on another site from reaching your API with the user's session. Needs
   * `requireHeader`; for API routes only (a navigation cannot send the header). Default `false`.
   */
  everyMethod?: boolean
}

/** Options of `POST {basePath}/logout`. */
export interface LogoutConfig {
  /**
   * Send the session's ID token as `id_token_hint` to the IdP's `end_session_endpoint` (and to
   * preset logout URLs that accept it), as OpenID Connect RP-Initiated Logout recommends: the IdP
   * then knows which session ends and skips its "do you want to log out?" prompt. The ID token is
   * an identity assertion for the RP, not a credential for APIs, but it does travel in the URL of
   * a browser redirect to the IdP. `false` leaves it out; logout then identifies the client by
   * `client_id` only (the IdP may ask the user to confirm). Default `true`.
   *
   * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
   */
  idTokenHint?: boolean
}

/** Hard overrides of values bezzie would otherwise take from discovery or the preset. */
export interface ProviderOverrides {
  /** Logout URL, or a builder of it; wins over the preset and `end_session_endpoint`. */
  logoutUrl?: string | LogoutUrlBuilder
  /** Token endpoint URL; wins over discovery. */
  tokenEndpoint?: string
}

/** Configuration of {@link createBezzie}. */
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
  /** API audience: requested at login and checked as `aud` of JWT access tokens. */
  audience?: string
  /** Session store, e.g. `cloudflareKVAdapter(env.SESSION_KV)`. */
  adapter: SessionAdapter
  /** Public origin of the app, e.g. `"https://app.example.com"` (callback URL, CSRF origin). */
  baseUrl: string
  /** Hard overrides for provider values. */
  providerOverrides?: ProviderOverrides
  /** Scopes requested at login. Default: the preset's, else `openid profile email offline_access`. */
  scopes?: string[]
  /** Route paths. */
  routes?: RoutesConfig
  /** Logout options. */
  logout?: LogoutConfig
  /**
   * Serve `POST {basePath}/backchannel-logout` for OpenID Connect Back-Channel Logout: the IdP
   * posts a signed logout token and every session of that `sid` (or `sub`) is deleted. Needs an
   * adapter with an `index` (Durable Objects, Redis, memory); with KV it is a {@link ConfigError}.
   * Default `false`.
   * @see https://openid.net/specs/openid-connect-backchannel-1_0.html
   */
  backchannelLogout?: boolean
  /**
   * Session cookie name. Default `"__Host-session"`. With `secureCookies` the `__Host-` prefix is
   * added when missing; without it the prefix is removed.
   */
  cookieName?: string
  /** Mark cookies `Secure` and use the `__Host-` prefix. Default `true` (works on http://localhost too). */
  secureCookies?: boolean
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
   * retry URL). Default: a small self-contained page ({@link defaultErrorPage}).
   */
  errorPage?: ErrorPageRenderer
  /** Idle session lifetime (in seconds), sliding. Default 86400 (1 day); minimum 60. */
  sessionTtlSeconds?: number
  /** Absolute session lifetime (in seconds) from login. Default 604800 (7 days); at most 400 days. */
  absoluteSessionTtlSeconds?: number
  /**
   * How often (in seconds) the sliding idle expiry is written back to the store; requests in
   * between make no store write. Default 300, capped at a quarter of `sessionTtlSeconds`.
   */
  touchIntervalSeconds?: number
  /** Refresh the access token when it expires within this many seconds. Default 60. */
  refreshBufferSeconds?: number
  /**
   * Verify the JWT access token (signature via JWKS, iss, aud, exp) on every authenticated
   * request, not only when it is received. Default `false`.
   */
  validateAccessToken?: boolean
  /** Time limits of store calls and token refreshes (in milliseconds); see {@link TimeoutsConfig}. */
  timeouts?: TimeoutsConfig
  /**
   * Clock skew (in seconds) tolerated when checking the `exp`, `nbf` and `iat` of ID tokens and JWT
   * access tokens, so that a Worker whose clock is off by a couple of minutes does not reject
   * good tokens (or log anyone out). Default 150.
   */
  clockToleranceSeconds?: number
  /**
   * Secret (at least 32 characters) enabling encryption of session records at rest and an
   * encrypted-cookie login transaction. An array rotates: the first encrypts, all decrypt.
   */
  secret?: string | string[]
  /** CSRF defence options. */
  csrf?: CsrfConfig
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
  /**
   * Maps validated ID token claims to `c.var.user` (`sub` is kept). Throwing aborts the login and
   * no session is created. Default: the standard profile claims present ({@link defaultMapClaims}).
   */
  mapClaims?: (claims: Record<string, unknown>) => BezzieUser | Promise<BezzieUser>
  /**
   * Called after a successful login, before the session is stored. Throwing aborts the login
   * (500 `login_hook_failed`) and no session is created. Default: none.
   */
  onLogin?: (event: LoginEvent) => void | Promise<void>
  /** Called after a successful token refresh (never with tokens). Errors are reported, not thrown. Default: none. */
  onRefresh?: (event: RefreshEvent) => void | Promise<void>
  /** Called after a logged-out session is deleted. Errors are reported, not thrown. Default: none. */
  onLogout?: (event: LogoutEvent) => void | Promise<void>
  /** Called with every error bezzie handles (never with tokens). Default: `console.error`. */
  onError?: (error: BezzieError) => void
}

/** Validated configuration with defaults applied. */
export interface ResolvedConfig {
  issuer: URL
  insecureIssuer: boolean
  clientId: string
  clientSecret: string | undefined
  clientKeys: ResolvedClientKey[]
  pushedAuthorizationRequests: boolean | undefined
  audience: string | undefined
  adapter: SessionAdapter
  baseUrl: URL
  origin: string
  postLogoutRedirectUri: string
  providerOverrides: ProviderOverrides
  scopes: string[]
  routes: Required<RoutesConfig>
  logoutIdTokenHint: boolean
  backchannelLogout: boolean
  redirectUri: string
  cookie: { name: string; prefix: 'host' | undefined; secure: boolean; fullName: string }
  defaultReturnTo: string
  callbackErrorRedirect: boolean
  errorPage: ErrorPageRenderer
  sessionTtlSeconds: number
  absoluteSessionTtlSeconds: number
  touchIntervalSeconds: number
  refreshBufferSeconds: number
  validateAccessToken: boolean
  timeouts: ResolvedTimeouts
  clockToleranceSeconds: number
  secrets: string[]
  csrf: { requireHeader: string | undefined; allowSameSite: boolean; everyMethod: boolean }
  authorizationParams: Record<string, string>
  audienceParam: 'audience' | 'resource' | 'none'
  resources: string[]
  buildLogoutUrl: LogoutUrlBuilder | undefined
  mapClaims: NonNullable<BezzieConfig['mapClaims']>
  onLogin: BezzieConfig['onLogin']
  onRefresh: BezzieConfig['onRefresh']
  onLogout: BezzieConfig['onLogout']
  onError: (error: BezzieError) => void
  /** What bezzie judges access-token expiry by: {@link systemClock} outside tests. */
  now: Clock
}

const PROFILE_CLAIMS = [
  'sub',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'preferred_username',
  'email',
  'email_verified',
  'picture',
  'locale',
  'sid',
] as const

/** The default `mapClaims`: the standard profile claims present in the ID token. */
export function defaultMapClaims(claims: Record<string, unknown>): BezzieUser {
  const user: Record<string, unknown> = {}
  for (const k of PROFILE_CLAIMS) if (claims[k] !== undefined) user[k] = claims[k]
  return user as BezzieUser
}

function nonEmptyString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(option, 'must be a non-empty string')
  }
  return value
}

function seconds(value: unknown, option: string, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigError(
      option,
      `must be an integer number of seconds >= ${min}, got ${String(value)}`,
    )
  }
  return value
}

function path(value: unknown, option: string, fallback: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !/^\/[\w\-./~]*$/.test(value) || value.includes('//')) {
    throw new ConfigError(option, `must be a path starting with "/", got ${JSON.stringify(value)}`)
  }
  return value.length > 1 ? value.replace(/\/$/, '') : value
}

const MAX_COOKIE_AGE_SECONDS = 400 * 24 * 60 * 60

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Validates `config` and applies defaults; throws {@link ConfigError} naming the bad option. */
export function resolveConfig(config: BezzieConfig): ResolvedConfig {
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError('config', 'createBezzie() needs a configuration object')
  }
  let issuer: URL
  try {
    issuer = new URL(nonEmptyString(config.issuer, 'issuer'))
  } catch (e) {
    if (e instanceof ConfigError) throw e
    throw new ConfigError('issuer', `is not a URL: ${JSON.stringify(config.issuer)}`)
  }
  const insecureIssuer = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname)
  if (issuer.protocol !== 'https:' && !insecureIssuer) {
    throw new ConfigError(
      'issuer',
      'must use https: (http: is allowed for localhost and 127.0.0.1 only)',
    )
  }
  if (issuer.search || issuer.hash) {
    throw new ConfigError('issuer', 'must not contain a query or fragment')
  }
  const clientId = nonEmptyString(config.clientId, 'clientId')
  if (config.clientSecret !== undefined) nonEmptyString(config.clientSecret, 'clientSecret')
  const clientKeys = resolveClientKeys(config.clientPrivateKey)
  if (clientKeys.length > 0 && config.clientSecret !== undefined) {
    throw new ConfigError(
      'clientPrivateKey',
      'use either clientSecret or clientPrivateKey, not both',
    )
  }
  const par = config.pushedAuthorizationRequests
  if (par !== undefined && typeof par !== 'boolean') {
    throw new ConfigError('pushedAuthorizationRequests', 'must be a boolean')
  }
  if (config.audience !== undefined) nonEmptyString(config.audience, 'audience')

  const adapter = config.adapter
  if (
    !adapter ||
    typeof adapter.get !== 'function' ||
    typeof adapter.set !== 'function' ||
    typeof adapter.delete !== 'function'
  ) {
    throw new ConfigError('adapter', 'must be a SessionAdapter with get, set and delete')
  }

  let baseUrl: URL
  try {
    baseUrl = new URL(nonEmptyString(config.baseUrl, 'baseUrl'))
  } catch (e) {
    if (e instanceof ConfigError) throw e
    throw new ConfigError('baseUrl', `is not an absolute URL: ${JSON.stringify(config.baseUrl)}`)
  }
  if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') {
    throw new ConfigError('baseUrl', 'must be an http(s) URL')
  }
  if (baseUrl.pathname !== '/' || baseUrl.search || baseUrl.hash) {
    throw new ConfigError(
      'baseUrl',
      'must be an origin such as "https://app.example.com" (no path)',
    )
  }

  const secureCookies = config.secureCookies ?? true
  if (typeof secureCookies !== 'boolean')
    throw new ConfigError('secureCookies', 'must be a boolean')
  const rawName = config.cookieName ?? '__Host-session'
  if (typeof rawName !== 'string' || !/^[\w-]+$/.test(rawName)) {
    throw new ConfigError('cookieName', 'must contain only letters, digits, "_" and "-"')
  }
  const bareName = rawName.replace(/^__Host-/, '')
  if (!bareName) throw new ConfigError('cookieName', 'must not be just "__Host-"')
  const cookie = secureCookies
    ? { name: bareName, prefix: 'host' as const, secure: true, fullName: `__Host-${bareName}` }
    : { name: bareName, prefix: undefined, secure: false, fullName: bareName }

  const routesIn = config.routes ?? {}
  const routes: Required<RoutesConfig> = {
    basePath: path(routesIn.basePath, 'routes.basePath', DEFAULT_BASE_PATH),
    login: path(routesIn.login, 'routes.login', '/login'),
    callback: path(routesIn.callback, 'routes.callback', '/callback'),
    logout: path(routesIn.logout, 'routes.logout', '/logout'),
    me: path(routesIn.me, 'routes.me', '/me'),
    backchannelLogout: path(
      routesIn.backchannelLogout,
      'routes.backchannelLogout',
      '/backchannel-logout',
    ),
    jwks: path(routesIn.jwks, 'routes.jwks', '/jwks'),
    sessions: path(routesIn.sessions, 'routes.sessions', '/sessions'),
  }
  const logoutIdTokenHint = config.logout?.idTokenHint ?? true
  if (typeof logoutIdTokenHint !== 'boolean') {
    throw new ConfigError('logout.idTokenHint', 'must be a boolean')
  }
  const backchannelLogout = config.backchannelLogout ?? false
  if (typeof backchannelLogout !== 'boolean') {
    throw new ConfigError('backchannelLogout', 'must be a boolean')
  }
  if (backchannelLogout && !adapter.index) {
    throw new ConfigError(
      'backchannelLogout',
      'needs an adapter with an index to find the sessions to delete (Durable Objects or Redis); Cloudflare KV has none',
    )
  }
  const base = routes.basePath === '/' ? '' : routes.basePath
  const redirectUri = new URL(`${base}${routes.callback}`, baseUrl).href

  const defaultReturnTo = config.defaultReturnTo ?? '/'
  if (safeReturnTo(defaultReturnTo) !== defaultReturnTo) {
    throw new ConfigError('defaultReturnTo', 'must be a relative path like "/dashboard"')
  }

  const callbackErrorRedirect = config.callbackErrorRedirect ?? true
  if (typeof callbackErrorRedirect !== 'boolean') {
    throw new ConfigError('callbackErrorRedirect', 'must be a boolean')
  }

  const sessionTtlSeconds = seconds(config.sessionTtlSeconds, 'sessionTtlSeconds', 86_400, 60)
  const absoluteSessionTtlSeconds = seconds(
    config.absoluteSessionTtlSeconds,
    'absoluteSessionTtlSeconds',
    Math.max(604_800, sessionTtlSeconds),
    60,
  )
  if (absoluteSessionTtlSeconds < sessionTtlSeconds) {
    throw new ConfigError('absoluteSessionTtlSeconds', 'must be >= sessionTtlSeconds')
  }
  // Browsers cap cookie lifetimes at 400 days (RFC 6265bis), and hono refuses longer Max-Age.
  if (absoluteSessionTtlSeconds > MAX_COOKIE_AGE_SECONDS) {
    throw new ConfigError('absoluteSessionTtlSeconds', 'must be at most 34560000 (400 days)')
  }
  const touchIntervalSeconds = seconds(
    config.touchIntervalSeconds,
    'touchIntervalSeconds',
    Math.min(300, Math.floor(sessionTtlSeconds / 4)),
    0,
  )
  const refreshBufferSeconds = seconds(config.refreshBufferSeconds, 'refreshBufferSeconds', 60, 0)

  const secrets =
    config.secret === undefined
      ? []
      : Array.isArray(config.secret)
        ? [...config.secret]
        : [config.secret]
  if (config.secret !== undefined && secrets.length === 0) {
    throw new ConfigError('secret', 'must not be an empty array')
  }
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < 32) {
      throw new ConfigError('secret', 'must be at least 32 characters (use a random value)')
    }
  }

  const csrfIn = config.csrf ?? {}
  const requireHeader =
    csrfIn.requireHeader === true
      ? CSRF_HEADER
      : csrfIn.requireHeader === false
        ? undefined
        : csrfIn.requireHeader
  if (requireHeader !== undefined && !/^[\w-]+$/.test(requireHeader)) {
    throw new ConfigError('csrf.requireHeader', 'must be true or a header name such as "X-CSRF"')
  }
  const everyMethod = csrfIn.everyMethod ?? false
  if (typeof everyMethod !== 'boolean')
    throw new ConfigError('csrf.everyMethod', 'must be a boolean')
  if (everyMethod && csrfIn.requireHeader === undefined) {
    throw new ConfigError('csrf.everyMethod', 'needs csrf.requireHeader (e.g. "X-CSRF")')
  }

  const scopes = config.scopes ?? ['openid', 'profile', 'email', 'offline_access']
  if (!Array.isArray(scopes) || !scopes.includes('openid')) {
    throw new ConfigError('scopes', 'must be an array that includes "openid"')
  }

  const overrides = config.providerOverrides ?? {}
  if (overrides.tokenEndpoint !== undefined) {
    try {
      new URL(overrides.tokenEndpoint)
    } catch {
      throw new ConfigError('providerOverrides.tokenEndpoint', 'must be an absolute URL')
    }
  }
  for (const hook of [
    'mapClaims',
    'onLogin',
    'onRefresh',
    'onLogout',
    'onError',
    'errorPage',
  ] as const) {
    if (config[hook] !== undefined && typeof config[hook] !== 'function') {
      throw new ConfigError(hook, 'must be a function')
    }
  }
  const maxAge = config.authorizationParams?.max_age
  if (maxAge !== undefined && !/^\d{1,9}$/.test(maxAge)) {
    throw new ConfigError('authorizationParams.max_age', 'must be a number of seconds')
  }
  const audienceParam = config.audienceParam ?? 'resource'
  if (!['audience', 'resource', 'none'].includes(audienceParam)) {
    throw new ConfigError('audienceParam', 'must be "audience", "resource" or "none"')
  }

  const resources = config.resources ?? []
  if (
    !Array.isArray(resources) ||
    resources.some((r) => typeof r !== 'string' || !URL.canParse(r) || r.includes('#'))
  ) {
    throw new ConfigError('resources', 'must be an array of absolute URIs without a fragment')
  }

  return {
    issuer,
    insecureIssuer,
    clientId,
    clientSecret: config.clientSecret,
    clientKeys,
    pushedAuthorizationRequests: par,
    audience: config.audience,
    adapter,
    baseUrl,
    origin: baseUrl.origin,
    postLogoutRedirectUri: baseUrl.href,
    providerOverrides: overrides,
    scopes,
    routes,
    logoutIdTokenHint,
    backchannelLogout,
    redirectUri,
    cookie,
    defaultReturnTo,
    callbackErrorRedirect,
    errorPage: config.errorPage ?? defaultErrorPage,
    sessionTtlSeconds,
    absoluteSessionTtlSeconds,
    touchIntervalSeconds,
    refreshBufferSeconds,
    validateAccessToken: config.validateAccessToken ?? false,
    timeouts: resolveTimeouts(config.timeouts),
    clockToleranceSeconds: seconds(config.clockToleranceSeconds, 'clockToleranceSeconds', 150, 0),
    secrets,
    csrf: {
      requireHeader,
      allowSameSite: csrfIn.allowSameSite ?? false,
      everyMethod,
    },
    authorizationParams: { ...config.authorizationParams },
    audienceParam,
    resources: resources.filter((r) => r !== config.audience),
    buildLogoutUrl: config.buildLogoutUrl,
    mapClaims: config.mapClaims ?? defaultMapClaims,
    onLogin: config.onLogin,
    onRefresh: config.onRefresh,
    onLogout: config.onLogout,
    onError:
      config.onError ??
      ((error) => console.error(`[bezzie] ${error.name} (${error.code}): ${error.message}`)),
    now: (config as { [TEST_CLOCK]?: Clock })[TEST_CLOCK] ?? systemClock,
  }
}

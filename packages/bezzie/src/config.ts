import type { SessionAdapter } from './adapter.ts'
import { type Clock, systemClock, TEST_CLOCK } from './clock.ts'
import { type ProviderOverrides, resolveAuthorization } from './config/authorization.ts'
import { resolveClient } from './config/client.ts'
import { type ResolvedCookie, resolveCookie } from './config/cookie.ts'
import { type ResolvedCsrf, resolveCsrf } from './config/csrf.ts'
import { type ResolvedHooks, resolveHooks } from './config/hooks.ts'
import { type ResolvedLogout, resolveLogout } from './config/logout.ts'
import type { BezzieConfig } from './config/options.ts'
import { type RoutesConfig, resolveRoutes } from './config/routes.ts'
import { type ResolvedSession, resolveSession } from './config/session.ts'
import { type ResolvedTokens, resolveTokens } from './config/tokens.ts'
import { fn } from './config/validate.ts'
import { defaultErrorPage, type ErrorPageRenderer } from './error-page.ts'
import { ConfigError } from './errors.ts'
import type { ResolvedClientKey, ResolvedDpop } from './oidc/client-auth.ts'
import type { LogoutUrlBuilder } from './providers.ts'
import { type ResolvedTimeouts, resolveTimeouts } from './timeouts.ts'

// The options, one file per group (config/): this module assembles them.
export type { ProviderOverrides } from './config/authorization.ts'
export type { CookieConfig } from './config/cookie.ts'
export type { CsrfConfig } from './config/csrf.ts'
export { defaultMapClaims, type HooksConfig } from './config/hooks.ts'
export type { LogoutConfig } from './config/logout.ts'
export type { BezzieConfig } from './config/options.ts'
export type { RoutesConfig } from './config/routes.ts'
export type { SessionConfig } from './config/session.ts'
export type { TokensConfig } from './config/tokens.ts'

/** Validated configuration with defaults applied, in the groups of {@link BezzieConfig}. */
export interface ResolvedConfig {
  issuer: URL
  insecureIssuer: boolean
  clientId: string
  clientSecret: string | undefined
  clientKeys: ResolvedClientKey[]
  pushedAuthorizationRequests: boolean | undefined
  /** DPoP: `undefined` when off. */
  dpop: ResolvedDpop | undefined
  audience: string | undefined
  adapter: SessionAdapter
  baseUrl: URL
  origin: string
  postLogoutRedirectUri: string
  /** Empty when no `secret` is set (records unencrypted). */
  secrets: string[]
  session: ResolvedSession
  cookie: ResolvedCookie
  tokens: ResolvedTokens
  logout: ResolvedLogout
  hooks: ResolvedHooks
  csrf: ResolvedCsrf
  routes: Required<RoutesConfig>
  redirectUri: string
  defaultReturnTo: string
  callbackErrorRedirect: boolean
  errorPage: ErrorPageRenderer
  timeouts: ResolvedTimeouts
  providerOverrides: ProviderOverrides
  scopes: string[]
  authorizationParams: Record<string, string>
  audienceParam: 'audience' | 'resource' | 'none'
  resources: string[]
  buildLogoutUrl: LogoutUrlBuilder | undefined
  /** What bezzie judges access-token expiry by: {@link systemClock} outside tests. */
  now: Clock
}

/**
 * Validates `config` and applies defaults, one resolver per option group (config/); throws
 * {@link ConfigError} naming the bad option, or both options of a contradiction.
 */
export function resolveConfig(config: BezzieConfig): ResolvedConfig {
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError('config', 'createBezzie() needs a configuration object')
  }
  const client = resolveClient(config)
  return {
    ...client,
    session: resolveSession(config),
    cookie: resolveCookie(config),
    tokens: resolveTokens(config),
    logout: resolveLogout(config),
    hooks: resolveHooks(config),
    csrf: resolveCsrf(config),
    ...resolveRoutes(config, client.baseUrl),
    errorPage: fn({ value: config.errorPage, name: 'errorPage' }) ?? defaultErrorPage,
    timeouts: resolveTimeouts(config.timeouts),
    ...resolveAuthorization(config),
    now: (config as { [TEST_CLOCK]?: Clock })[TEST_CLOCK] ?? systemClock,
  }
}

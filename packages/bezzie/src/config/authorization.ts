import { ConfigError } from '../errors.ts'
import type { LogoutUrlBuilder } from '../providers.ts'

/** Hard overrides of values bezzie would otherwise take from discovery or the preset. */
export interface ProviderOverrides {
  /** Logout URL, or a builder of it; wins over the preset and `end_session_endpoint`. */
  logoutUrl?: string | LogoutUrlBuilder
  /** Token endpoint URL; wins over discovery. */
  tokenEndpoint?: string
}

/** The options shaping the authorization request and what the IdP is asked for. */
export interface AuthorizationOptions {
  audience?: string
  scopes?: string[]
  authorizationParams?: Record<string, string>
  audienceParam?: 'audience' | 'resource' | 'none'
  resources?: string[]
  providerOverrides?: ProviderOverrides
  buildLogoutUrl?: LogoutUrlBuilder
}

/** Resolves scopes, authorization parameters, resources and the provider's overrides. */
export function resolveAuthorization(config: AuthorizationOptions) {
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
    scopes,
    providerOverrides: overrides,
    authorizationParams: { ...config.authorizationParams },
    audienceParam,
    resources: resources.filter((r) => r !== config.audience),
    buildLogoutUrl: config.buildLogoutUrl,
  }
}

/**
 * Provider presets. Each returns the part of a {@link BezzieConfig} that a given OpenID Provider
 * needs (issuer, scopes, extra authorization parameters, how it logs out), meant to be spread
 * into `createBezzie({ ...providers.auth0('tenant.auth0.com'), clientId, … })`.
 *
 * @packageDocumentation
 */

import { ConfigError } from './errors.ts'

/** What a logout URL builder receives. */
export interface LogoutUrlParams {
  /** The OAuth client id. */
  clientId: string
  /**
   * Absolute URL where the IdP should send the browser afterwards: `baseUrl`, or `baseUrl` plus
   * the validated relative `returnTo` of `POST /logout?returnTo=/path`. The IdP must have it
   * registered as a post-logout redirect URI.
   */
  returnTo: string
  /** The session's ID token, unless `logout.idTokenHint` is `false` or there is none. */
  idTokenHint?: string
}

/** Builds the IdP logout URL the browser is redirected to after `POST /logout`. */
export type LogoutUrlBuilder = (params: LogoutUrlParams) => string

/** The configuration a provider preset contributes. */
export interface ProviderPreset {
  /** Issuer identifier (exactly as the IdP's discovery document states it). */
  issuer: string
  /** Scopes requested at login. */
  scopes?: string[]
  /** Fixed extra parameters sent with every authorization request. */
  authorizationParams?: Record<string, string>
  /**
   * How `audience` is sent to the IdP: as Auth0's `audience` parameter, as an RFC 8707 `resource`
   * indicator, or not at all (the IdP derives it from its own configuration).
   *
   * @see https://www.rfc-editor.org/rfc/rfc8707
   */
  audienceParam?: 'audience' | 'resource' | 'none'
  /** The IdP's own logout URL, for IdPs without (or with a non-standard) `end_session_endpoint`. */
  buildLogoutUrl?: LogoutUrlBuilder
}

const trimSlash = (s: string) => s.replace(/\/+$/, '')

function host(value: string, name: string): string {
  const h = value.replace(/^https:\/\//, '').replace(/\/+$/, '')
  if (!h || /[/?#\s@]/.test(h)) {
    throw new ConfigError(name, `must be a bare host name like "example.com", got "${value}"`)
  }
  return h
}

function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v)
  return url.href
}

// The same builder function for the same preset arguments, every call: a per-request
// `createBezzie({ ...providers.x(...) })` then compares equal and hits createBezzie's memo.
const builders = new Map<string, LogoutUrlBuilder>()
function stable(id: string, make: () => LogoutUrlBuilder): LogoutUrlBuilder {
  let builder = builders.get(id)
  if (!builder) {
    builder = make()
    // Bounded: presets are called with a handful of fixed arguments in practice.
    if (builders.size >= 64) builders.clear()
    builders.set(id, builder)
  }
  return builder
}

const standardLogout = (endpoint: string): LogoutUrlBuilder =>
  stable(
    `standard ${endpoint}`,
    () =>
      ({ clientId, returnTo, idTokenHint }) =>
        withQuery(endpoint, {
          id_token_hint: idTokenHint,
          post_logout_redirect_uri: returnTo,
          client_id: clientId,
        }),
  )

const returnStraightHome: LogoutUrlBuilder = ({ returnTo }) => returnTo

/**
 * Auth0. Sends `audience` as Auth0's `audience` parameter and logs out through `/v2/logout`.
 *
 * @param domain - Tenant domain, e.g. `"your-tenant.auth0.com"` or a custom domain.
 * @see https://auth0.com/docs/authenticate/login/logout/log-users-out-of-auth0
 */
function auth0(domain: string): ProviderPreset {
  const d = host(domain, 'providers.auth0.domain')
  return {
    issuer: `https://${d}/`,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    audienceParam: 'audience',
    buildLogoutUrl: stable(
      `auth0 ${d}`,
      () =>
        ({ clientId, returnTo }) =>
          withQuery(`https://${d}/v2/logout`, { client_id: clientId, returnTo }),
    ),
  }
}

/**
 * Okta. Without `authServer`, the org authorization server (`https://domain`); with it, a custom
 * authorization server (`https://domain/oauth2/<authServer>`, e.g. `"default"`).
 *
 * @see https://developer.okta.com/docs/reference/api/oidc/#logout
 */
function okta(domain: string, authServer?: string): ProviderPreset {
  const d = host(domain, 'providers.okta.domain')
  const issuer = authServer
    ? `https://${d}/oauth2/${encodeURIComponent(authServer)}`
    : `https://${d}`
  const logout = authServer ? `${issuer}/v1/logout` : `https://${d}/oauth2/v1/logout`
  return {
    issuer,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    audienceParam: 'none',
    buildLogoutUrl: standardLogout(logout),
  }
}

/**
 * Keycloak.
 *
 * @param baseUrl - Keycloak's base URL, e.g. `"https://sso.example.com"` (add `/auth` for
 *   Keycloak versions before 17).
 * @param realm - Realm name.
 */
function keycloak(baseUrl: string, realm: string): ProviderPreset {
  const issuer = `${trimSlash(baseUrl)}/realms/${encodeURIComponent(realm)}`
  return {
    issuer,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    audienceParam: 'none',
    buildLogoutUrl: standardLogout(`${issuer}/protocol/openid-connect/logout`),
  }
}

/**
 * Google. Google has no `offline_access` scope (a refresh token needs `access_type=offline` and
 * `prompt=consent`) and no RP-initiated logout, so logout returns to `baseUrl`.
 *
 * @see https://developers.google.com/identity/protocols/oauth2/web-server#offline
 */
function google(): ProviderPreset {
  return {
    issuer: 'https://accounts.google.com',
    scopes: ['openid', 'profile', 'email'],
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    audienceParam: 'none',
    buildLogoutUrl: returnStraightHome,
  }
}

/**
 * Microsoft Entra ID (v2.0 endpoints).
 *
 * @param tenant - Tenant id or domain (`"contoso.onmicrosoft.com"`); multi-tenant values such as
 *   `"common"` do not have a fixed issuer and are not supported.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#send-a-sign-out-request
 */
function entra(tenant: string): ProviderPreset {
  if (
    !tenant ||
    /[/?#\s]/.test(tenant) ||
    ['common', 'organizations', 'consumers'].includes(tenant)
  ) {
    throw new ConfigError(
      'providers.entra.tenant',
      `needs a tenant id or domain (not common/organizations/consumers), got "${tenant}"`,
    )
  }
  const base = `https://login.microsoftonline.com/${encodeURIComponent(tenant)}`
  return {
    issuer: `${base}/v2.0`,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    audienceParam: 'none',
    buildLogoutUrl: standardLogout(`${base}/oauth2/v2.0/logout`),
  }
}

/** Options of {@link cognito}. */
export interface CognitoOptions {
  /** AWS region, e.g. `"eu-west-1"`. */
  region: string
  /** User pool id, e.g. `"eu-west-1_AbCdEf123"`. */
  userPoolId: string
  /** The user pool's hosted UI domain, e.g. `"auth.example.com"` or `"x.auth.eu-west-1.amazoncognito.com"`. */
  domain: string
}

/**
 * Amazon Cognito user pools. Cognito logs out at its hosted UI's `/logout?client_id&logout_uri`.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html
 */
function cognito({ region, userPoolId, domain }: CognitoOptions): ProviderPreset {
  if (!/^[a-z0-9-]+$/.test(region ?? '')) {
    throw new ConfigError('providers.cognito.region', `is not a region: "${region}"`)
  }
  if (!/^[\w-]+$/.test(userPoolId ?? '')) {
    throw new ConfigError('providers.cognito.userPoolId', `is invalid: "${userPoolId}"`)
  }
  const d = host(domain, 'providers.cognito.domain')
  return {
    issuer: `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
    scopes: ['openid', 'profile', 'email'],
    audienceParam: 'none',
    buildLogoutUrl: stable(
      `cognito ${d}`,
      () =>
        ({ clientId, returnTo }) =>
          withQuery(`https://${d}/logout`, { client_id: clientId, logout_uri: returnTo }),
    ),
  }
}

/**
 * Any standards-compliant OpenID Provider. Logout uses the discovery document's
 * `end_session_endpoint` when it has one. `audience` is sent as an RFC 8707 `resource`.
 *
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 */
function oidc(issuer: string): ProviderPreset {
  return {
    issuer,
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    audienceParam: 'resource',
  }
}

/** Provider presets: spread one into the `createBezzie` configuration. */
export const providers = { auth0, okta, keycloak, google, entra, cognito, oidc } as const

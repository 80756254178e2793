import { randomBytes } from 'node:crypto'
import {
  type ClientMetadata,
  type Configuration,
  errors,
  interactionPolicy,
  type JWK,
  type KoaContextWithOIDC,
} from 'oidc-provider'
import { claimsFor, findDemoUser } from './accounts.ts'
import type { MemoryStore } from './memory-store.ts'
import { errorPage, logoutPage, signedOutPage } from './pages.ts'

export interface ProviderSettings {
  clients: ClientMetadata[]
  accessTokenTtl: number
  idTokenTtl: number
  refreshTokenTtl: number
  rotateRefreshTokens: boolean
  resource: string
  resourceScopes: readonly string[]
  /** Further APIs (resource indicators) besides `resource`, each with its scopes. */
  apis: readonly { resource: string; scopes: readonly string[] }[]
  /** Serve the client credentials grant. */
  clientCredentials: boolean
  /** `acr` values the login can satisfy (the requested one is granted; see interactions). */
  acrValues: readonly string[]
  /** Refuse authorization requests that were not pushed first (RFC 9126). */
  requirePushedAuthorizationRequests: boolean
  /** Require a server-provided nonce in every DPoP proof (RFC 9449 §8). */
  dpopNonces: boolean
  store: MemoryStore
  /** The signing keys (private JWKs); the first of each `alg` signs. */
  signingKeys: JWK[]
  /** Cookie-signing keys. */
  cookieKeys: string[]
  /** Called for every back-channel logout token the provider sends. */
  onLogoutTokenSent: () => void
}

/**
 * OpenID Connect Core §11 lets an OP drop `offline_access` unless `prompt=consent` is present,
 * and oidc-provider does. Every configured client is a first-party BFF whose consent is implied,
 * so the scope is put back; the consent step then grants it without showing a screen.
 */
function restoreOfflineAccess(ctx: KoaContextWithOIDC): boolean {
  const { oidc } = ctx
  const body = (oidc as unknown as { body?: Record<string, unknown> }).body
  const raw = ctx.method === 'POST' ? body?.scope : ctx.query.scope
  const responseType = String(oidc.params?.response_type ?? '')
  if (
    typeof raw === 'string' &&
    raw.split(' ').includes('offline_access') &&
    responseType.split(' ').includes('code') &&
    oidc.client?.grantTypeAllowed('refresh_token')
  ) {
    const scopes = new Set(
      String(oidc.params?.scope ?? '')
        .split(' ')
        .filter(Boolean),
    )
    scopes.add('offline_access')
    ;(oidc.params as Record<string, unknown>).scope = [...scopes].join(' ')
  }
  return interactionPolicy.Check.NO_NEED_TO_PROMPT
}

function interactionPolicyWithOfflineAccess() {
  const policy = interactionPolicy.base()
  policy.add(
    new interactionPolicy.Prompt(
      { name: 'first_party', requestable: false },
      new interactionPolicy.Check(
        'offline_access_restored',
        'first-party clients receive refresh tokens without prompt=consent',
        restoreOfflineAccess,
      ),
    ),
    0,
  )
  return policy
}

/** Builds the oidc-provider configuration for one IdP instance. */
export function providerConfiguration(settings: ProviderSettings): Configuration {
  const { resource } = settings
  const apis = new Map<string, readonly string[]>([
    [resource, settings.resourceScopes],
    ...settings.apis.map((api) => [api.resource, api.scopes] as const),
  ])
  return {
    clients: settings.clients,
    adapter: (name: string) => settings.store.adapterFor(name),
    jwks: { keys: settings.signingKeys },
    cookies: { keys: settings.cookieKeys },
    async findAccount(_ctx, sub) {
      const user = findDemoUser(sub)
      if (!user) return undefined
      return { accountId: sub, claims: async () => ({ ...claimsFor(user), sub }) }
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    acrValues: [...settings.acrValues],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
    },
    // The BFF reads the user from the ID token; it never calls userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    extraParams: ['audience'],
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      backchannelLogout: { enabled: true },
      // DPoP (RFC 9449): a token request with a proof gets a DPoP-bound access token (`cnf.jkt`,
      // `token_type: "DPoP"`); without one a Bearer token, unless the client registered
      // `dpop_bound_access_tokens: true`. A public client's refresh token is bound to the key too;
      // a confidential client's is not (it authenticates), but its proofs must still verify.
      dPoP: {
        enabled: true,
        // Replayed proofs (same jti) are refused; the replay cache lives in the memory store.
        allowReplay: false,
        ...(settings.dpopNonces ? { nonceSecret: randomBytes(32), requireNonce: () => true } : {}),
      },
      clientCredentials: { enabled: settings.clientCredentials },
      pushedAuthorizationRequests: {
        enabled: true,
        requirePushedAuthorizationRequests: settings.requirePushedAuthorizationRequests,
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html'
          ctx.body = logoutPage(form)
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html'
          ctx.body = signedOutPage()
        },
      },
      resourceIndicators: {
        enabled: true,
        async defaultResource(ctx, _client, oneOf) {
          if (oneOf) return oneOf
          const audience = ctx.oidc.params?.audience
          return typeof audience === 'string' && audience ? audience : resource
        },
        useGrantedResource: async () => true,
        async getResourceServerInfo(_ctx, indicator) {
          const scopes = apis.get(indicator)
          if (!scopes) {
            throw new errors.InvalidTarget(
              `unknown resource; this IdP serves ${[...apis.keys()].join(', ')} only`,
            )
          }
          return {
            scope: scopes.join(' '),
            audience: indicator,
            accessTokenTTL: settings.accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          }
        },
      },
    },
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: settings.accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: settings.idTokenTtl,
      RefreshToken: settings.refreshTokenTtl,
      Grant: settings.refreshTokenTtl,
      Session: settings.refreshTokenTtl,
      Interaction: 60 * 60,
    },
    rotateRefreshToken: settings.rotateRefreshTokens,
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: interactionPolicyWithOfflineAccess(),
    },
    async renderError(ctx, out) {
      ctx.type = 'html'
      ctx.body = errorPage(String(out.error ?? 'error'), out.error_description)
    },
    async fetch(url, options) {
      if (options?.body instanceof URLSearchParams && options.body.has('logout_token')) {
        settings.onLogoutTokenSent()
      }
      // oidc-provider passes a dispatcher that refuses loopback addresses (SSRF protection). Every
      // back-channel logout receiver of this dev IdP is on loopback, so use the default one.
      const { dispatcher: _ssrfGuard, ...init } = (options ?? {}) as RequestInit & {
        dispatcher?: unknown
      }
      return globalThis.fetch(url, init)
    },
  }
}

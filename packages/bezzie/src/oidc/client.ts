import * as oauth from 'oauth4webapi'
import type { ResolvedConfig } from '../config.ts'
import type { SessionStore } from '../session/store.ts'
import { privateKeyJwt } from './client-auth.ts'
import { discover } from './discovery.ts'
import { dpopHandle } from './dpop.ts'
import { idpRequestOptions } from './http.ts'

/** Everything needed to talk to the IdP for one configuration. */
export interface Oidc {
  as: oauth.AuthorizationServer
  client: oauth.Client
  clientAuth: oauth.ClientAuth
  /** The DPoP handle of token requests, with `dpop` configured and a store given. */
  dpop?: oauth.DPoPHandle
}

/**
 * Discovery (cached) plus client and client authentication for `config`; with `store` and `dpop`
 * configured, the DPoP handle token requests send proofs with.
 */
export async function getOidc(config: ResolvedConfig, store?: SessionStore): Promise<Oidc> {
  let as = await discover(config.issuer, config.insecureIssuer)
  if (config.providerOverrides.tokenEndpoint) {
    as = { ...as, token_endpoint: config.providerOverrides.tokenEndpoint }
  }
  // Tolerated skew on ID token exp/iat/nbf, so that a Worker clock a little off logs nobody out.
  const client: oauth.Client = {
    client_id: config.clientId,
    [oauth.clockTolerance]: config.tokens.clockToleranceSeconds,
  }
  let clientAuth: oauth.ClientAuth
  if (config.clientKeys.length > 0) clientAuth = await privateKeyJwt(config.clientKeys)
  else if (config.clientSecret === undefined) clientAuth = oauth.None()
  else {
    const methods = as.token_endpoint_auth_methods_supported
    clientAuth =
      !methods || methods.includes('client_secret_basic')
        ? oauth.ClientSecretBasic(config.clientSecret)
        : oauth.ClientSecretPost(config.clientSecret)
  }
  const dpop = store && (await dpopHandle(config, store))
  return dpop ? { as, client, clientAuth, dpop } : { as, client, clientAuth }
}

/** Parameters that carry `audience` to the IdP, per `audienceParam`. */
export function audienceParameters(config: ResolvedConfig): Record<string, string> {
  if (!config.audience || config.audienceParam === 'none') return {}
  return { [config.audienceParam]: config.audience }
}

/**
 * oauth4webapi's options of a request to the token or PAR endpoint: {@link idpRequestOptions},
 * `additionalParameters` when given, and the DPoP handle (a proof on the request) when DPoP is on.
 */
export function tokenRequestOptions(
  config: Pick<ResolvedConfig, 'insecureIssuer'>,
  oidc: Pick<Oidc, 'dpop'>,
  additionalParameters?: Record<string, string>,
) {
  return {
    ...idpRequestOptions(config.insecureIssuer),
    ...(additionalParameters ? { additionalParameters } : {}),
    ...(oidc.dpop ? { DPoP: oidc.dpop } : {}),
  }
}

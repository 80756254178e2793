import * as oauth from 'oauth4webapi'
import type { ResolvedConfig } from '../config.ts'
import { TokenRequestError } from '../errors.ts'
import { getOidc, tokenRequestOptions } from '../oidc/client.ts'
import { dpopTokenTypeProblem, retryOnDpopNonce } from '../oidc/dpop.ts'
import { tokenRequestError } from '../oidc/token-error.ts'
import type { SessionStore } from '../session/store.ts'

/** What {@link clientCredentialsToken} asks the IdP for. */
export interface ClientTokenRequest {
  /**
   * The API (RFC 8707 resource indicator, or Auth0 `audience`) the token is for. Default: the
   * configured `audience` (none with `audienceParam: "none"`, where `scope` names the API, e.g.
   * Entra ID's `api://<app id>/.default`).
   */
  resource?: string
  /** Space-separated scopes to ask for. Default: none (the IdP's default for the client). */
  scope?: string
}

interface CachedToken {
  accessToken: string
  /** Epoch milliseconds. */
  expiresAt: number
  /** Epoch milliseconds after which the token is renewed. */
  renewAt: number
}

/** Assumed lifetime (in seconds) of a client token when the IdP sends no `expires_in`. */
const DEFAULT_EXPIRES_IN = 300

// Isolate level on purpose: the client's token is the same for every request and user, so one
// grant serves the isolate until the token nears expiry; concurrent misses share one request.
const cache = new Map<string, CachedToken>()
const inflight = new Map<string, Promise<CachedToken>>()

/** The parameter that names the API, per `audienceParam` (Auth0 calls it `audience`). */
export function resourceParameter(
  config: ResolvedConfig,
  resource: string,
): Record<string, string> {
  return { [config.audienceParam === 'audience' ? 'audience' : 'resource']: resource }
}

function cacheKey(config: ResolvedConfig, resource: string | undefined, scope: string | undefined) {
  return [config.issuer.href, config.clientId, resource ?? '', scope ?? ''].join('\n')
}

async function requestToken(
  config: ResolvedConfig,
  store: SessionStore | undefined,
  resource: string | undefined,
  scope: string | undefined,
): Promise<CachedToken> {
  try {
    const oidc = await getOidc(config, store)
    const parameters: Record<string, string> = {
      ...(resource === undefined ? {} : resourceParameter(config, resource)),
      ...(scope === undefined ? {} : { scope }),
    }
    const result = await retryOnDpopNonce(oidc.dpop, async () => {
      const response = await oauth.clientCredentialsGrantRequest(
        oidc.as,
        oidc.client,
        oidc.clientAuth,
        parameters,
        tokenRequestOptions(config, oidc),
      )
      return oauth.processClientCredentialsResponse(oidc.as, oidc.client, response)
    })
    const problem = dpopTokenTypeProblem(oidc.dpop, result.token_type)
    if (problem) throw new TokenRequestError('client_credentials_failed', problem, undefined, 502)
    const lifetime =
      typeof result.expires_in === 'number' && result.expires_in > 0
        ? result.expires_in
        : DEFAULT_EXPIRES_IN
    const now = config.now()
    // Renew `refreshBufferSeconds` before expiry, or halfway through a shorter lifetime.
    const margin = Math.min(config.tokens.refreshBufferSeconds, lifetime / 2)
    return {
      accessToken: result.access_token,
      expiresAt: now + lifetime * 1000,
      renewAt: now + (lifetime - margin) * 1000,
    }
  } catch (e) {
    throw tokenRequestError('client_credentials_failed', 'the client credentials grant', e)
  }
}

/**
 * The client's own access token (OAuth 2.0 client credentials grant) for `resource`: cached in
 * the isolate until `refreshBufferSeconds` before it expires, and fetched at most once at a time
 * per client, resource and scope however many requests ask concurrently. With `dpop` configured
 * (and `store` given, where a generated key is kept) the token is DPoP-bound. Rejects with
 * {@link TokenRequestError} `client_credentials_failed`; a failed renewal falls back to the
 * cached token while it is still valid.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export async function clientCredentialsToken(
  config: ResolvedConfig,
  request: ClientTokenRequest = {},
  store?: SessionStore,
): Promise<string> {
  // `audienceParam: "none"` (Entra ID) names the API through `scope` only.
  const resource =
    request.resource ?? (config.audienceParam === 'none' ? undefined : config.audience)
  const key = cacheKey(config, resource, request.scope)
  const hit = cache.get(key)
  const now = config.now()
  if (hit && now < hit.renewAt) return hit.accessToken
  let pending = inflight.get(key)
  if (!pending) {
    pending = requestToken(config, store, resource, request.scope)
      .then((token) => {
        cache.set(key, token)
        return token
      })
      .finally(() => inflight.delete(key))
    inflight.set(key, pending)
  }
  try {
    return (await pending).accessToken
  } catch (e) {
    if (hit && config.now() < hit.expiresAt) return hit.accessToken
    throw e
  }
}

/** Test seam: forgets every cached client token. Not exported from the package entry points. */
export function clearClientTokenCache(): void {
  cache.clear()
}

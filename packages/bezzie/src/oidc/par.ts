import * as oauth from 'oauth4webapi'
import type { ResolvedConfig } from '../config.ts'
import { ConfigError } from '../errors.ts'
import { type Oidc, tokenRequestOptions } from './client.ts'
import { retryOnDpopNonce } from './dpop.ts'
import { tokenRequestError } from './token-error.ts'

/**
 * Whether this login pushes its parameters first: `pushedAuthorizationRequests` when set, else
 * what the IdP's metadata requires. A setting the IdP cannot honour is a {@link ConfigError}
 * naming the option, reported at the first login.
 */
export function usePushedAuthorization(
  config: ResolvedConfig,
  as: oauth.AuthorizationServer,
): boolean {
  const required = as.require_pushed_authorization_requests === true
  const setting = config.pushedAuthorizationRequests
  if (setting === false && required) {
    throw new ConfigError(
      'pushedAuthorizationRequests',
      'is false, but the IdP requires pushed authorization requests (require_pushed_authorization_requests in its metadata)',
    )
  }
  if (setting === true && !as.pushed_authorization_request_endpoint) {
    throw new ConfigError(
      'pushedAuthorizationRequests',
      'is true, but the IdP metadata has no pushed_authorization_request_endpoint',
    )
  }
  return setting ?? required
}

/**
 * Pushes the authorization request's parameters to the IdP (client authenticated) and returns the
 * authorization URL that carries only `client_id` and the `request_uri` it answered with.
 * A refusal rejects with `TokenRequestError` (`pushed_authorization_failed`) naming the OAuth
 * error: 502, or 503 when the IdP is unreachable.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2
 */
export async function pushedAuthorizationUrl(
  config: ResolvedConfig,
  oidc: Oidc,
  params: URLSearchParams,
): Promise<URL> {
  let requestUri: string
  try {
    // With DPoP the push carries a proof too, and the IdP binds the code to the key (RFC 9449 §10).
    requestUri = await retryOnDpopNonce(oidc.dpop, async () => {
      const response = await oauth.pushedAuthorizationRequest(
        oidc.as,
        oidc.client,
        oidc.clientAuth,
        params,
        tokenRequestOptions(config, oidc),
      )
      return (await oauth.processPushedAuthorizationResponse(oidc.as, oidc.client, response))
        .request_uri
    })
  } catch (e) {
    throw tokenRequestError('pushed_authorization_failed', 'the pushed authorization request', e)
  }
  const url = new URL(oidc.as.authorization_endpoint as string)
  url.searchParams.set('client_id', config.clientId)
  url.searchParams.set('request_uri', requestUri)
  return url
}

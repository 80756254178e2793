import { createHash, randomBytes } from 'node:crypto'
import { DEMO_PASSWORD, driveLogin, type Idp, type StartIdpOptions, startIdp } from '@bezzie/idp'

/** Client metadata as `startIdp` takes it (oidc-provider's `ClientMetadata`). */
export type ClientMetadata = NonNullable<StartIdpOptions['clients']>[number]

/** The BFF client a test registers at its IdP. */
export interface BffClient {
  clientId: string
  clientSecret: string
  /** Origins the BFF is reached at: each gets `<origin>/auth/callback` and `<origin>/` for logout. */
  origins: string[]
  /** Where the IdP POSTs back-channel logout tokens (requires `sid`). Default: none. */
  backchannelLogoutUri?: string
}

/**
 * Client metadata for a confidential BFF (client_secret_basic, code + refresh token) with the
 * callback and post-logout redirect URIs bezzie uses under `/auth`.
 */
export function bffClientMetadata(client: BffClient): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: client.origins.map((origin) => `${origin}/auth/callback`),
    post_logout_redirect_uris: client.origins.map((origin) => `${origin}/`),
    ...(client.backchannelLogoutUri && {
      backchannel_logout_uri: client.backchannelLogoutUri,
      backchannel_logout_session_required: true,
    }),
  }
}

/**
 * Starts `@bezzie/idp` on a free port (unless `port` says otherwise) with one BFF client
 * registered. `resource` is the API audience of its JWT access tokens.
 */
export function startIdpForBff(
  client: BffClient,
  options: Omit<StartIdpOptions, 'clients'> = {},
): Promise<Idp> {
  return startIdp({ port: 0, ...options, clients: [bffClientMetadata(client)] })
}

/** Tokens from {@link loginForTokens}. */
export interface LoginTokens {
  access_token: string
  id_token: string
  refresh_token?: string
}

/** Options of {@link loginForTokens}. */
export interface LoginForTokensOptions {
  clientId: string
  clientSecret: string
  /** A redirect URI registered for the client; nothing needs to listen there. */
  redirectUri: string
  /** Demo user. Default `alice`. */
  username?: string
  /** Default `openid profile email`. */
  scope?: string
}

/**
 * A whole authorization code flow with PKCE (S256) on Node: the login form driven by fetch, then
 * the code exchanged at the token endpoint with client_secret_basic. For tests that need real
 * tokens without a BFF.
 * @see https://datatracker.ietf.org/doc/html/rfc7636
 */
export async function loginForTokens(
  issuer: string,
  options: LoginForTokensOptions,
): Promise<LoginTokens> {
  const { clientId, clientSecret, redirectUri, username = 'alice' } = options
  const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string
    token_endpoint: string
  }
  const verifier = randomBytes(32).toString('base64url')
  const state = randomBytes(16).toString('base64url')
  const authorization = new URL(metadata.authorization_endpoint)
  authorization.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: options.scope ?? 'openid profile email',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString()
  const { callbackUrl } = await driveLogin(authorization.href, {
    username,
    password: DEMO_PASSWORD,
  })
  const callback = new URL(callbackUrl)
  const code = callback.searchParams.get('code')
  if (!code || callback.searchParams.get('state') !== state) {
    throw new Error(`login for ${username} did not return a code: ${callbackUrl}`)
  }
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  })
  const body = (await response.json()) as Partial<LoginTokens> & { error?: string }
  if (!response.ok || !body.access_token || !body.id_token) {
    throw new Error(`token exchange for ${username} failed: HTTP ${response.status} ${body.error}`)
  }
  return body as LoginTokens
}

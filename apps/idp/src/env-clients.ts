import type { ClientMetadata } from 'oidc-provider'

/** The environment variables {@link clientsFromEnv} reads. */
export interface ClientsEnv {
  /** Comma-separated extra redirect URIs for the `bezzie-dev` client. */
  IDP_REDIRECT_URIS?: string | undefined
  /** Comma-separated extra post-logout redirect URIs for the `bezzie-dev` client. */
  IDP_POST_LOGOUT_REDIRECT_URIS?: string | undefined
  /** A JSON array of further clients (oidc-provider client metadata). */
  IDP_CLIENTS?: string | undefined
}

/** What {@link clientsFromEnv} adds to the CLI's clients. */
export interface EnvClients {
  /** Merged into the `bezzie-dev` client's `redirect_uris`. */
  redirectUris: string[]
  /** Merged into the `bezzie-dev` client's `post_logout_redirect_uris`. */
  postLogoutRedirectUris: string[]
  /** Registered next to `bezzie-dev`. */
  clients: ClientMetadata[]
}

/** An environment variable that cannot be used; the message names it and says what it needs. */
export class ClientsEnvError extends Error {
  override name = 'ClientsEnvError'
}

function absoluteHttpUrl(name: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ClientsEnvError(`${name}: ${JSON.stringify(value)} is not an absolute URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientsEnvError(`${name}: ${JSON.stringify(value)} is not an http(s) URL`)
  }
  return value
}

function uriList(name: string, raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => absoluteHttpUrl(name, entry))
}

/**
 * The origin of each redirect URI, with and without the trailing slash: an app signed in through
 * `https://app.example/auth/callback` usually comes back to `https://app.example/` after logout.
 */
function originsOf(redirectUris: string[]): string[] {
  return redirectUris.flatMap((uri) => {
    const { origin } = new URL(uri)
    return [`${origin}/`, origin]
  })
}

function extraClient(entry: unknown, index: number): ClientMetadata {
  const where = `IDP_CLIENTS[${index}]`
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new ClientsEnvError(`${where} must be an object of client metadata`)
  }
  const client = entry as Partial<ClientMetadata>
  if (typeof client.client_id !== 'string' || client.client_id === '') {
    throw new ClientsEnvError(`${where} needs a "client_id" string`)
  }
  if (
    !Array.isArray(client.redirect_uris) ||
    client.redirect_uris.length === 0 ||
    client.redirect_uris.some((uri) => typeof uri !== 'string')
  ) {
    throw new ClientsEnvError(`${where} ("${client.client_id}") needs "redirect_uris": [url, …]`)
  }
  const redirectUris = client.redirect_uris.map((uri) => absoluteHttpUrl(where, uri))
  // The same defaults as the bezzie-dev client: a confidential BFF with refresh tokens.
  return {
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: client.client_secret ? 'client_secret_basic' : 'none',
    post_logout_redirect_uris: originsOf(redirectUris),
    ...client,
    client_id: client.client_id,
    redirect_uris: redirectUris,
  }
}

/**
 * Reads the CLI's client configuration from the environment, so an app on any port signs in
 * against the local IdP without code:
 * - `IDP_REDIRECT_URIS` (comma-separated) adds redirect URIs to the `bezzie-dev` client, and their
 *   origins as post-logout redirect URIs;
 * - `IDP_POST_LOGOUT_REDIRECT_URIS` (comma-separated) adds further post-logout redirect URIs;
 * - `IDP_CLIENTS` (a JSON array of oidc-provider client metadata) registers more clients; each
 *   needs `client_id` and `redirect_uris`, and gets the code + refresh token grants,
 *   `client_secret_basic` (or `none` without a `client_secret`) and its redirect URIs' origins as
 *   post-logout redirect URIs unless it says otherwise.
 * @throws {ClientsEnvError} naming the variable that cannot be used.
 */
export function clientsFromEnv(env: ClientsEnv): EnvClients {
  const redirectUris = uriList('IDP_REDIRECT_URIS', env.IDP_REDIRECT_URIS)
  const postLogoutRedirectUris = [
    ...originsOf(redirectUris),
    ...uriList('IDP_POST_LOGOUT_REDIRECT_URIS', env.IDP_POST_LOGOUT_REDIRECT_URIS),
  ]
  let clients: ClientMetadata[] = []
  if (env.IDP_CLIENTS?.trim()) {
    let parsed: unknown
    try {
      parsed = JSON.parse(env.IDP_CLIENTS)
    } catch (error) {
      throw new ClientsEnvError(
        `IDP_CLIENTS is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    if (!Array.isArray(parsed)) throw new ClientsEnvError('IDP_CLIENTS must be a JSON array')
    clients = parsed.map(extraClient)
  }
  return { redirectUris, postLogoutRedirectUris, clients }
}

/** `base` with `extra` appended, without duplicates, in order. */
export function withExtra(base: readonly string[] | undefined, extra: readonly string[]): string[] {
  return [...new Set([...(base ?? []), ...extra])]
}

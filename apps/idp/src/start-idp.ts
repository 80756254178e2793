import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ClientMetadata, JWK, KoaContextWithOIDC } from 'oidc-provider'
import { Counts } from './counts.ts'
import { createProvider } from './create-provider.ts'
import { devClient } from './dev-client.ts'
import { endSessionsOf } from './end-session.ts'
import { handleEndSession } from './end-session-redirect.ts'
import { endpointFor } from './endpoints.ts'
import {
  answerWithFault,
  type Faults,
  FaultTable,
  processedModes,
  withholdAnswer,
} from './faults.ts'
import { isFontPath, sendFont } from './fonts.ts'
import { readForm, sendHtml } from './http-utils.ts'
import { handleInteraction, isInteractionPath } from './interactions.ts'
import { generateCookieKeys, generateSigningKeys } from './keys.ts'
import { MemoryStore } from './memory-store.ts'
import { errorPage } from './pages.ts'
import { handleTestEndpoint, testEndpointPrefix } from './test-endpoints.ts'

/** Options of {@link startIdp}. Every duration is in seconds. */
export interface StartIdpOptions {
  /** TCP port; `0` (the default) picks a free one. The issuer uses the actual port. */
  port?: number
  /**
   * Listen address. Default `'127.0.0.1'`. The issuer's hostname is always `localhost`, which
   * resolves to this address on the same machine.
   */
  host?: string
  /** Registered clients. Default: the `bezzie-dev` client ({@link devClient}). */
  clients?: ClientMetadata[]
  /** Lifetime of JWT access tokens, in seconds. Default 300. */
  accessTokenTtl?: number
  /** Lifetime of ID tokens, in seconds. Default 3600. */
  idTokenTtl?: number
  /** Lifetime of refresh tokens (and of grants and IdP sessions), in seconds. Default 14 days. */
  refreshTokenTtl?: number
  /**
   * Issue a new refresh token on every refresh and refuse the old one afterwards (reusing a
   * rotated token revokes the whole grant). Default false: the refresh token stays the same.
   * @see https://datatracker.ietf.org/doc/html/rfc9700#section-4.14.2
   */
  rotateRefreshTokens?: boolean
  /**
   * With `rotateRefreshTokens`: how long (in seconds) after its first use a rotated refresh token
   * may be used again, answered with a new token set instead of revoking the grant, as Auth0's
   * "reuse interval" and Okta's "grace period" allow. Default 0: any reuse revokes the grant
   * (oidc-provider's behaviour, and Keycloak's with "Revoke Refresh Token" and no reuse).
   */
  refreshTokenReuseInterval?: number
  /**
   * The API's resource indicator: the `aud` of every JWT access token. Used when the client sends
   * no `resource` (or Auth0-style `audience`) parameter. Default `'https://api.bezzie.local'`.
   * @see https://datatracker.ietf.org/doc/html/rfc8707
   */
  resource?: string
  /** Scopes of the API resource. Default `['read:notes', 'write:notes']`. */
  resourceScopes?: string[]
  /**
   * Further APIs with their own audience, besides `resource`. A client may ask for any of them
   * with a `resource` parameter (RFC 8707) at login, on a refresh, or with client credentials, and
   * gets a JWT access token whose `aud` is that API. Default: none.
   * @see https://datatracker.ietf.org/doc/html/rfc8707
   */
  apis?: { resource: string; scopes?: string[] }[]
  /**
   * Serve the client credentials grant (for clients whose `grant_types` include
   * `client_credentials`); the token's `aud` is the requested `resource`, else `resource`.
   * Default false.
   * @see https://datatracker.ietf.org/doc/html/rfc6749#section-4.4
   */
  clientCredentials?: boolean
  /**
   * Authentication context class values this IdP can satisfy. A login whose authorization request
   * asks for one of them (`acr_values`) gets it as the ID token's `acr` (the demo password stands
   * in for the stronger method); otherwise the ID token has no `acr`. Default: none.
   * @see https://openid.net/specs/openid-connect-core-1_0.html#acrSemantics
   */
  acrValues?: string[]
  /**
   * Refuse authorization requests that were not first pushed to the PAR endpoint, and say so in
   * the metadata (`require_pushed_authorization_requests`). The PAR endpoint is always served.
   * Default false.
   * @see https://datatracker.ietf.org/doc/html/rfc9126
   */
  requirePushedAuthorizationRequests?: boolean
  /**
   * Require a server-provided nonce in every DPoP proof: a proof without one (or with a stale one)
   * is answered 400 `use_dpop_nonce` with a fresh `DPoP-Nonce` header, which the client retries
   * with. DPoP itself is always served (a token request with a `DPoP` proof gets a DPoP-bound
   * token). Default false.
   * @see https://datatracker.ietf.org/doc/html/rfc9449#section-8
   */
  dpopNonces?: boolean
  /**
   * Serve the `/__idp/` control routes (counts, faults, end-session). Default true.
   * **Development and tests only**: anyone who can reach the port can break or log out the IdP.
   */
  testEndpoints?: boolean
}

/** A running development OpenID Provider. */
export interface Idp {
  /** `http://localhost:<port>` */
  issuer: string
  port: number
  /** Stops listening, drops open connections (including requests held by a `timeout` fault) and forgets all state. */
  stop(): Promise<void>
  /**
   * Requests seen, by endpoint (`discovery`, `jwks`, `authorization`, `token`, `userinfo`,
   * `revocation`, `introspection`, `end_session`), by token grant (`grant:authorization_code`,
   * `grant:refresh_token`), and back-channel logout tokens sent (`backchannel_logout`).
   * A live read-only view: known keys read as 0 until counted. Faulted requests are counted too.
   */
  counts: Readonly<Record<string, number>>
  /** Sets every count back to zero. */
  resetCounts(): void
  /** Makes endpoints misbehave on demand, at the HTTP boundary. Development and tests only. */
  faults: Faults
  /**
   * Rotates the signing keys: new keys sign from now on. `soft` (the default) keeps publishing
   * the old ones, so tokens they signed still verify; `hard` drops them at once (a key
   * compromise), so those tokens no longer verify. Grants, refresh tokens and sessions survive.
   * Development and tests only.
   */
  rotateKeys(mode?: 'soft' | 'hard'): Promise<void>
  /**
   * Ends every IdP session of `sub` and sends a back-channel logout token to every client of those
   * sessions that registered a `backchannel_logout_uri` (the clients' grants and refresh tokens
   * are revoked). Rejects with an `AggregateError` if a delivery failed.
   * @see https://openid.net/specs/openid-connect-backchannel-1_0.html
   */
  endSession(sub: string): Promise<void>
}

const DEFAULT_RESOURCE = 'https://api.bezzie.local'
const DEFAULT_RESOURCE_SCOPES = ['read:notes', 'write:notes']
const DAY = 24 * 60 * 60

function positiveSeconds(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`startIdp: ${name} must be a positive whole number of seconds`)
  }
  return value
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string) {
  return new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
}

/**
 * Starts a local OpenID Provider (oidc-provider) for development and tests: a confidential
 * client, authorization code + PKCE (S256 required), refresh tokens for first-party clients
 * without a consent screen, JWT access tokens for one API resource (DPoP-bound when the token
 * request carries a proof), revocation, introspection,
 * RP-initiated logout without a confirmation page, and back-channel logout.
 *
 * **Development only**: demo users with a public password, random keys per start, state in memory.
 */
export async function startIdp(options: StartIdpOptions = {}): Promise<Idp> {
  const {
    port = 0,
    host = '127.0.0.1',
    clients = [devClient()],
    rotateRefreshTokens = false,
    resource = DEFAULT_RESOURCE,
    resourceScopes = DEFAULT_RESOURCE_SCOPES,
    apis = [],
    clientCredentials = false,
    acrValues = [],
    requirePushedAuthorizationRequests = false,
    dpopNonces = false,
    testEndpoints = true,
  } = options
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError('startIdp: port must be an integer between 0 and 65535')
  }
  if (!URL.canParse(resource)) throw new TypeError('startIdp: resource must be an absolute URI')
  for (const api of apis) {
    if (!URL.canParse(api.resource) || api.resource === resource) {
      throw new TypeError('startIdp: apis[].resource must be an absolute URI other than resource')
    }
  }
  const accessTokenTtl = positiveSeconds('accessTokenTtl', options.accessTokenTtl, 300)
  const idTokenTtl = positiveSeconds('idTokenTtl', options.idTokenTtl, 3600)
  const refreshTokenTtl = positiveSeconds('refreshTokenTtl', options.refreshTokenTtl, 14 * DAY)
  const reuseIntervalSeconds = options.refreshTokenReuseInterval ?? 0
  if (!Number.isInteger(reuseIntervalSeconds) || reuseIntervalSeconds < 0) {
    throw new TypeError(
      'startIdp: refreshTokenReuseInterval must be a whole number of seconds >= 0',
    )
  }

  const server = createServer()
  const address = await listen(server, port, host)
  const issuer = `http://localhost:${address.port}`
  const internalHost = ['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host
  const internalOrigin = `http://${internalHost.includes(':') ? `[${internalHost}]` : internalHost}:${address.port}`
  const internalHeaders = { 'x-bezzie-idp-internal': randomBytes(16).toString('hex') }

  const counts = new Counts()
  const faults = new FaultTable()
  const store = new MemoryStore({ reuseIntervalSeconds })
  const cookieKeys = generateCookieKeys()
  let signingKeys: JWK[] = generateSigningKeys()
  const build = async (keys: JWK[]) => {
    const provider = await createProvider(issuer, {
      clients,
      accessTokenTtl,
      idTokenTtl,
      refreshTokenTtl,
      rotateRefreshTokens,
      resource,
      resourceScopes,
      apis: apis.map((api) => ({ resource: api.resource, scopes: api.scopes ?? [] })),
      clientCredentials,
      acrValues,
      requirePushedAuthorizationRequests,
      dpopNonces,
      store,
      signingKeys: keys,
      cookieKeys,
      onLogoutTokenSent: () => counts.increment('backchannel_logout'),
    })
    provider.on('server_error', (_ctx: unknown, error: unknown) => {
      console.error('[idp] server_error', error)
    })
    provider.use(async (ctx, next) => {
      await next()
      const { oidc } = ctx as Partial<KoaContextWithOIDC>
      if (oidc?.route === 'token') {
        counts.increment(`grant:${String(oidc.params?.grant_type ?? 'unknown')}`)
      }
    })
    return provider
  }
  let provider = await build(signingKeys).catch((error: unknown) => {
    server.close()
    throw error
  })
  let providerHandler = provider.callback()
  // A new provider over the same store: grants, refresh tokens and sessions carry over.
  const rotateKeys = async (mode: 'soft' | 'hard' = 'soft') => {
    if (mode !== 'soft' && mode !== 'hard')
      throw new TypeError("rotateKeys: mode must be 'soft' or 'hard'")
    const fresh = generateSigningKeys()
    signingKeys = mode === 'soft' ? [...fresh, ...signingKeys] : fresh
    provider = await build(signingKeys)
    providerHandler = provider.callback()
  }

  const held = new Set<ServerResponse>()
  const endSession = (sub: string) => endSessionsOf(provider, store, sub)

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', issuer)
    const internal =
      req.headers['x-bezzie-idp-internal'] === internalHeaders['x-bezzie-idp-internal']
    const endpoint = endpointFor(pathname)
    if (endpoint && !internal) {
      counts.increment(endpoint)
      const fault = faults.take(endpoint)
      if (fault && processedModes.has(fault.mode)) {
        withholdAnswer(fault, req, res, held)
      } else if (fault) {
        if (endpoint === 'token' && req.method === 'POST') {
          counts.increment(`grant:${(await readForm(req)).get('grant_type') ?? 'unknown'}`)
        }
        answerWithFault(fault, req, res, held)
        return
      }
    }
    if (testEndpoints && pathname.startsWith(testEndpointPrefix)) {
      return handleTestEndpoint(
        {
          counts: () => counts.snapshot(),
          resetCounts: () => counts.reset(),
          faults,
          endSession,
          rotateKeys,
        },
        req,
        res,
        pathname,
      )
    }
    if (isInteractionPath(pathname))
      return handleInteraction(provider, req, res, pathname, acrValues)
    if (req.method === 'GET' && isFontPath(pathname)) return sendFont(res, pathname)
    if (endpoint === 'end_session' && !internal && req.method === 'GET') {
      return handleEndSession(req, res, internalOrigin, internalHeaders)
    }
    providerHandler(req, res)
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[idp] request failed', error)
      if (!res.headersSent) sendHtml(res, 500, errorPage('server_error', 'unexpected error'))
      else res.destroy()
    })
  })

  let stopped: Promise<void> | undefined
  return {
    issuer,
    port: address.port,
    counts: counts.view,
    resetCounts: () => counts.reset(),
    faults,
    endSession,
    rotateKeys,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        for (const res of held) res.destroy()
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
        store.clear()
      })
      return stopped
    },
  }
}

import * as oauth from 'oauth4webapi'
import { epochSeconds } from '../clock.ts'
import { StoreError, TokenRequestError } from '../errors.ts'
import { getOidc, tokenRequestOptions } from '../oidc/client.ts'
import { dpopTokenTypeProblem, retryOnDpopNonce } from '../oidc/dpop.ts'
import { tokenRequestError } from '../oidc/token-error.ts'
import type { RefreshTiming } from '../refresh/outcome.ts'
import type { Runtime } from '../runtime.ts'
import type { LoadedSession } from '../session/load.ts'
import type { ResourceToken } from '../session/store.ts'
import type { GetAccessToken } from '../types.ts'
import { resourceParameter } from './client-credentials.ts'

/** Assumed lifetime (in seconds) when the IdP sends no `expires_in`. */
const DEFAULT_EXPIRES_IN = 300

// Concurrent requests of one session for one API in this isolate share one token request.
const inflight = new Map<string, Promise<string>>()

const fresh = (config: RefreshTiming, token: ResourceToken | null): boolean =>
  token !== null && token.expiresAt - epochSeconds(config.now) > config.tokens.refreshBufferSeconds

/**
 * Redeems the session's refresh token for `resource`. When the IdP rotates the refresh token, the
 * new one is written back to the session before anything else uses the old one.
 */
async function redeem(
  rt: Runtime,
  session: LoadedSession,
  resource: string,
): Promise<ResourceToken> {
  const latest = await rt.store.readLatest(session.key)
  const refreshToken = latest?.record.tokens.refreshToken
  if (!latest || !refreshToken) {
    throw new TokenRequestError(
      'resource_token_failed',
      'the session has no refresh token to get a token for another API with',
      undefined,
      401,
    )
  }
  let result: oauth.TokenEndpointResponse
  try {
    const oidc = await getOidc(rt.config, rt.store)
    result = await retryOnDpopNonce(oidc.dpop, async () => {
      const response = await oauth.refreshTokenGrantRequest(
        oidc.as,
        oidc.client,
        oidc.clientAuth,
        refreshToken,
        tokenRequestOptions(rt.config, oidc, resourceParameter(rt.config, resource)),
      )
      return oauth.processRefreshTokenResponse(oidc.as, oidc.client, response)
    })
    const problem = dpopTokenTypeProblem(oidc.dpop, result.token_type)
    if (problem) throw new TokenRequestError('resource_token_failed', problem, undefined, 502)
  } catch (e) {
    throw tokenRequestError('resource_token_failed', `a token for ${resource}`, e)
  }
  const rotated = result.refresh_token
  if (rotated && rotated !== refreshToken) {
    // Compare-and-set on the newest record: only the refresh token changes.
    await rt.store.update(latest, (current) => ({
      ...current,
      tokens: { ...current.tokens, refreshToken: rotated },
    }))
  }
  const lifetime =
    typeof result.expires_in === 'number' && result.expires_in > 0
      ? result.expires_in
      : DEFAULT_EXPIRES_IN
  return { accessToken: result.access_token, expiresAt: epochSeconds(rt.config.now) + lifetime }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Fetches and stores a token for `resource`, under the session's refresh lock when the store has
 * one: the same lock the main token's refresh takes, because both spend the refresh token.
 */
async function obtain(rt: Runtime, session: LoadedSession, resource: string): Promise<string> {
  const fetchAndKeep = async () => {
    const token = await redeem(rt, session, resource)
    await rt.store.writeResourceToken(session.key, resource, token)
    return token.accessToken
  }
  if (!rt.store.hasLock) return fetchAndKeep()
  const deadline = Date.now() + rt.config.timeouts.lockWaitMs
  let delay = 25
  for (;;) {
    const handle = await rt.store.lockRefresh(session.key)
    if (handle) {
      try {
        // Another isolate may have fetched it while this one waited.
        const cached = await rt.store.readResourceToken(session.key, resource)
        if (cached && fresh(rt.config, cached)) return cached.accessToken
        return await fetchAndKeep()
      } finally {
        await handle.release()
      }
    }
    if (Date.now() + delay > deadline) {
      throw new StoreError('store_failed', 'timed out waiting for the session refresh lock')
    }
    await sleep(delay)
    delay = Math.min(delay * 2, 400)
    const cached = await rt.store.readResourceToken(session.key, resource)
    if (cached && fresh(rt.config, cached)) return cached.accessToken
  }
}

/**
 * The signed-in user's access token for another API (`resource`), obtained with the session's
 * refresh token (RFC 8707 resource indicator; Auth0's `audience` with `audienceParam:
 * "audience"`), kept in the store per session per API until `refreshBufferSeconds` before it
 * expires, and fetched at most once at a time per session and API in an isolate (and across
 * isolates when the adapter has a lock). The configured `audience` is the session's own token.
 * Rejects with {@link TokenRequestError} `resource_token_failed`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2.2
 */
export async function userResourceToken(
  rt: Runtime,
  session: LoadedSession,
  resource: string,
): Promise<string> {
  if (resource === rt.config.audience) return session.record.tokens.accessToken
  const cached = await rt.store.readResourceToken(session.key, resource)
  if (cached && fresh(rt.config, cached)) return cached.accessToken
  const key = `${session.key}\n${resource}`
  let pending = inflight.get(key)
  if (!pending) {
    pending = obtain(rt, session, resource).finally(() => inflight.delete(key))
    inflight.set(key, pending)
  }
  try {
    return await pending
  } catch (e) {
    // A failed renewal keeps a token that is still valid, as the main refresh does.
    if (cached && cached.expiresAt > epochSeconds(rt.config.now)) return cached.accessToken
    throw e
  }
}

/** The `c.var.getAccessToken` of a request whose session is `session`. */
export function accessTokenGetter(rt: Runtime, session: LoadedSession): GetAccessToken {
  return async (options = {}) => {
    const { resource } = options
    if (resource === undefined) return session.record.tokens.accessToken
    if (typeof resource !== 'string' || !URL.canParse(resource)) {
      throw new TypeError('bezzie: getAccessToken({ resource }) must be an absolute URI')
    }
    return userResourceToken(rt, session, resource)
  }
}

import type { Context } from 'hono'
import type * as oauth from 'oauth4webapi'
import { ConfigError } from '../errors.ts'
import { dpopHandle } from '../oidc/dpop.ts'
import { looksLikeJwt } from '../oidc/jwks.ts'
import { asBezzieError, errorResponse, jsonError } from '../respond.ts'
import type { Runtime } from '../runtime.ts'
import { currentSession } from '../session/current.ts'
import { clientCredentialsToken } from './client-credentials.ts'
import { userResourceToken } from './resource-token.ts'

/**
 * Which access token `auth.proxy()` sends upstream:
 * - `"user"`: the signed-in user's (401 without a session);
 * - `"client"`: the app's own, from the client credentials grant (no session needed);
 * - `"user-or-client"`: the user's when signed in, else the app's;
 * - `"none"`: no `Authorization` header at all.
 */
export type ProxyTokenType = 'user' | 'client' | 'user-or-client' | 'none'

/** The token choice of one proxy route. */
export interface ProxyTokenOptions {
  token?: ProxyTokenType
  resource?: string
  scope?: string
}

/**
 * How a proxied request is authorized: a token (with the DPoP handle to prove it with, when the
 * token is DPoP-bound), no header, or an answer instead.
 */
export type ProxyAuthorization = { token: string | null; dpop?: oauth.DPoPHandle } | Response

/** Resolves the upstream token of each proxied request. */
export type ProxyTokenResolver = (c: Context) => Promise<ProxyAuthorization>

const TOKEN_TYPES: readonly ProxyTokenType[] = ['user', 'client', 'user-or-client', 'none']

/**
 * Validates the token options of `auth.proxy()` ({@link ConfigError} naming the option) and
 * returns the per-request resolver.
 */
export function proxyTokenResolver(rt: Runtime, options: ProxyTokenOptions): ProxyTokenResolver {
  const type = options.token ?? 'user'
  if (!TOKEN_TYPES.includes(type)) {
    throw new ConfigError('proxy.token', 'must be "user", "client", "user-or-client" or "none"')
  }
  const { resource, scope } = options
  if (resource !== undefined && (typeof resource !== 'string' || !URL.canParse(resource))) {
    throw new ConfigError('proxy.resource', 'must be an absolute URI (the API identifier)')
  }
  if (scope !== undefined && (typeof scope !== 'string' || scope.trim() === '')) {
    throw new ConfigError('proxy.scope', 'must be a non-empty string of space-separated scopes')
  }
  if (scope !== undefined && type !== 'client' && type !== 'user-or-client') {
    throw new ConfigError('proxy.scope', 'applies to the client token only (token: "client")')
  }
  const clientToken = () =>
    clientCredentialsToken(
      rt.config,
      {
        ...(resource === undefined ? {} : { resource }),
        ...(scope === undefined ? {} : { scope }),
      },
      rt.store,
    )

  /** `token` as sent upstream: with the DPoP handle when DPoP is on and the token is bound. */
  async function authorize(token: string): Promise<ProxyAuthorization> {
    const handle = dpopHandle(rt.config, rt.store)
    return handle && dpopBound(token) ? { token, dpop: await handle } : { token }
  }

  async function userToken(c: Context): Promise<string | null> {
    const session = currentSession(c)
    if (session) {
      if (resource === undefined) return session.record.tokens.accessToken
      return userResourceToken(rt, session, resource)
    }
    // Another API's token can only come from a session; the main one may be set by the app.
    return resource === undefined ? (c.get('accessToken') ?? null) : null
  }

  return async function upstreamToken(c) {
    try {
      if (type === 'none') return { token: null }
      if (type === 'client') return authorize(await clientToken())
      const user = await userToken(c)
      if (user !== null) return authorize(user)
      if (type === 'user-or-client') return authorize(await clientToken())
      return jsonError(c, 401, 'unauthorized')
    } catch (e) {
      const error = asBezzieError(e)
      rt.report(error)
      return errorResponse(c, error)
    }
  }
}

/**
 * Whether `token` is to be sent as DPoP: an opaque token is taken to be (it came from a DPoP
 * request), a JWT only with a `cnf.jkt` — a session from before DPoP was turned on keeps sending
 * its bearer token as Bearer until its next refresh.
 */
function dpopBound(token: string): boolean {
  if (!looksLikeJwt(token)) return true
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')
    const payload = JSON.parse(atob(part)) as { cnf?: { jkt?: unknown } }
    return typeof payload?.cnf?.jkt === 'string'
  } catch {
    return true
  }
}

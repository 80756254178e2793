import type { Context } from 'hono'
import { ConfigError } from '../errors.ts'
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

/** How a proxied request is authorized: a token, no header, or an answer instead. */
export type ProxyAuthorization = { token: string | null } | Response

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
    clientCredentialsToken(rt.config, {
      ...(resource === undefined ? {} : { resource }),
      ...(scope === undefined ? {} : { scope }),
    })

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
      if (type === 'client') return { token: await clientToken() }
      const user = await userToken(c)
      if (user !== null) return { token: user }
      if (type === 'user-or-client') return { token: await clientToken() }
      return jsonError(c, 401, 'unauthorized')
    } catch (e) {
      const error = asBezzieError(e)
      rt.report(error)
      return errorResponse(c, error)
    }
  }
}

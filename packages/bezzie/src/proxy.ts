import type { Context, Handler } from 'hono'
import { ConfigError } from './errors.ts'
import { dpopRequest } from './proxy/dpop-request.ts'
import {
  browserResponseHeaders,
  onCloudflare,
  stripMethodOverrides,
  upstreamPath,
  upstreamRequestHeaders,
} from './proxy/hygiene.ts'
import { jsonError } from './respond.ts'
import type { ProxyTokenResolver, ProxyTokenType } from './tokens/proxy-token.ts'
import type { BezzieEnv } from './types.ts'

/** Options of `auth.proxy()`. */
export interface ProxyOptions {
  /**
   * The upstream API: an absolute http(s) URL, optionally with a base path
   * (`"https://api.example.com/v1"`). Requests never leave this origin.
   */
  upstream: string
  /** Leading path removed before forwarding, e.g. `"/api/proxy"`. Default: none. */
  stripPrefix?: string
  /** Upstream timeout (in milliseconds). Default 10000. */
  timeoutMs?: number
  /**
   * Request header every proxied request must carry with the value `"1"`, whatever its method
   * (GET included), else 403 `csrf_failed`. A cross-site page cannot send a custom header without
   * a CORS preflight, and a top-level navigation or `<img>` never sends one, so no other site can
   * make the browser reach the API with the user's token. bezzie-react's fetch helper sends
   * `X-CSRF: 1`. With a header required, `Sec-Fetch-Site: cross-site` is refused too. `false`
   * turns both off (the middleware still checks unsafe methods), for clients that cannot send
   * the header. Default `"X-CSRF"`.
   */
  requireHeader?: string | false
  /**
   * `Cache-Control` of every proxied response, replacing the upstream's: the response was made
   * for one signed-in user and must not be kept by a shared cache (a CDN, a proxy) or the
   * browser's back/forward cache. `false` relays the upstream's own header. Default
   * `"private, no-store"`.
   */
  cacheControl?: string | false
  /**
   * Which access token the upstream gets as `Authorization: Bearer` (or `DPoP` with a proof, with
   * `dpop` configured). Default `"user"`.
   * - `"user"`: the signed-in user's token (for {@link resource}, if set); 401 without a session.
   * - `"client"`: the app's own token from the client credentials grant, cached per isolate until
   *   `refreshBufferSeconds` before expiry; needs no session (no `auth.middleware()` required).
   * - `"user-or-client"`: the user's token when signed in (mount after `optionalMiddleware()`),
   *   else the app's.
   * - `"none"`: no `Authorization` header (a public upstream behind the same hygiene).
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
   */
  token?: ProxyTokenType
  /**
   * The upstream API's identifier (RFC 8707 resource indicator; the Auth0 API audience with
   * `audienceParam: "audience"`) when it differs from `audience`. The user's token for it is
   * obtained with the session's refresh token and kept per session until near expiry; list it in
   * `resources` so the login's grant covers it. The client's token is requested for it. Default:
   * the configured `audience` (the session's own access token).
   * @see https://www.rfc-editor.org/rfc/rfc8707
   */
  resource?: string
  /**
   * Scopes (space-separated) to ask for in the client credentials grant; with `token: "client"`
   * or `"user-or-client"` only. Default: none (the IdP's default for the client).
   */
  scope?: string
}

/** The default token choice: the access token `auth.middleware()` put in `c.var`. */
async function sessionToken(c: Context) {
  const accessToken = c.get('accessToken')
  return accessToken ? { token: accessToken } : jsonError(c, 401, 'unauthorized')
}

/**
 * Builds `auth.proxy()`: a bearer-forwarding handler. Mount it after `auth.middleware()`.
 * Forwards method, path, query and the streamed body to `upstream` only; drops `Cookie`,
 * `Authorization`, hop-by-hop headers and the browser's own `Forwarded` / `X-Forwarded-*`; adds
 * `Authorization: Bearer <token>` (with `dpop` configured and a bound token: `Authorization: DPoP
 * <token>` and a fresh `DPoP` proof, retried once on the upstream's `use_dpop_nonce`),
 * `X-Forwarded-Host/Proto` (from `baseUrl`) and
 * `X-Forwarded-For` (from Cloudflare's `cf-connecting-ip`, on Workers only). From the response it
 * strips `Set-Cookie` and `Access-Control-*`, adds `X-Content-Type-Options: nosniff` and (unless
 * the upstream sent one) a sandboxing `Content-Security-Policy`, and drops the upstream's
 * `Content-Encoding` / `Content-Length` since fetch() has already decoded the body, and sets
 * `Cache-Control: private, no-store`. Requires `X-CSRF: 1` on every request by default and drops
 * method-override headers and query parameters (`_method`, …). Unreachable upstream → 502,
 * timeout → 504.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1 (hop-by-hop fields)
 */
export function createProxy(
  options: ProxyOptions,
  publicOrigin: string,
  upstreamToken: ProxyTokenResolver = sessionToken,
): Handler<BezzieEnv> {
  if (!options || typeof options.upstream !== 'string') {
    throw new ConfigError('proxy.upstream', 'needs an upstream URL')
  }
  let upstream: URL
  try {
    upstream = new URL(options.upstream)
  } catch {
    throw new ConfigError('proxy.upstream', `is not a URL: ${JSON.stringify(options.upstream)}`)
  }
  if (
    !/^https?:$/.test(upstream.protocol) ||
    upstream.search ||
    upstream.hash ||
    upstream.username
  ) {
    throw new ConfigError('proxy.upstream', 'must be an http(s) URL without query')
  }
  const stripPrefix = (options.stripPrefix ?? '').replace(/\/+$/, '')
  if (stripPrefix && !stripPrefix.startsWith('/')) {
    throw new ConfigError('proxy.stripPrefix', 'must start with "/"')
  }
  const timeoutMs = options.timeoutMs ?? 10_000
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigError('proxy.timeoutMs', 'must be a positive integer (milliseconds)')
  }
  const requireHeader = options.requireHeader ?? 'X-CSRF'
  if (
    requireHeader !== false &&
    (typeof requireHeader !== 'string' || !/^[\w-]+$/.test(requireHeader))
  ) {
    throw new ConfigError('proxy.requireHeader', 'must be a header name or false')
  }
  const cacheControl = options.cacheControl ?? 'private, no-store'
  if (cacheControl !== false && (typeof cacheControl !== 'string' || cacheControl === '')) {
    throw new ConfigError('proxy.cacheControl', 'must be a non-empty string or false')
  }
  const basePath = upstream.pathname.replace(/\/+$/, '')
  // From `baseUrl`, never the request's Host, which a client chooses (Host header poisoning).
  const publicUrl = new URL(publicOrigin)

  return async function bezzieProxy(c: Context<BezzieEnv>): Promise<Response> {
    const authorization = await upstreamToken(c)
    if (authorization instanceof Response) return authorization
    if (requireHeader !== false) {
      if (c.req.header('sec-fetch-site') === 'cross-site') {
        return jsonError(c, 403, 'csrf_failed', 'cross-site request')
      }
      if (c.req.header(requireHeader) !== '1') {
        return jsonError(c, 403, 'csrf_failed', `missing ${requireHeader}: 1 header`)
      }
    }
    const incoming = new URL(c.req.url)
    const rest = upstreamPath(incoming.pathname, stripPrefix)
    if (rest === null) return jsonError(c, 400, 'invalid_path', 'path not allowed')
    const target = new URL(upstream.origin)
    target.pathname = basePath + rest
    const search = new URLSearchParams(incoming.search)
    stripMethodOverrides(search)
    target.search = search.size === incoming.searchParams.size ? incoming.search : search.toString()
    if (target.origin !== upstream.origin)
      return jsonError(c, 400, 'invalid_path', 'path not allowed')

    const headers = upstreamRequestHeaders(c.req.raw.headers)
    const { token, dpop } = authorization
    if (token !== null && !dpop) headers.set('authorization', `Bearer ${token}`)
    // Cloudflare's verified client address; elsewhere (Node) any client can send that header.
    const clientIp = onCloudflare() ? c.req.header('cf-connecting-ip') : undefined
    if (clientIp) headers.set('x-forwarded-for', clientIp)
    headers.set('x-forwarded-host', publicUrl.host)
    headers.set('x-forwarded-proto', publicUrl.protocol.replace(':', ''))

    const method = c.req.method
    const hasBody = method !== 'GET' && method !== 'HEAD'
    let response: Response
    try {
      const signal = AbortSignal.timeout(timeoutMs)
      const body = hasBody ? c.req.raw.body : null
      response =
        token !== null && dpop
          ? await dpopRequest(token, dpop, method, target, headers, body, signal)
          : await fetch(target, {
              method,
              headers,
              body,
              redirect: 'manual',
              signal,
              ...(hasBody ? { duplex: 'half' } : {}),
            } as RequestInit)
    } catch (e) {
      const timedOut = e instanceof DOMException && e.name === 'TimeoutError'
      return timedOut
        ? jsonError(c, 504, 'upstream_timeout', 'the upstream API did not answer in time')
        : jsonError(c, 502, 'upstream_unreachable', 'the upstream API is unreachable')
    }
    const out = browserResponseHeaders(response.headers, cacheControl)
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: out,
    })
  }
}

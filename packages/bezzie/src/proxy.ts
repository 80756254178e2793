import type { Context, Handler } from 'hono'
import { jsonError } from './respond.ts'
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
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]

/**
 * Request headers that never go upstream: the browser's credentials, routing headers, and the
 * forwarding headers a browser can forge (the proxy sets its own).
 */
const DROPPED_REQUEST = [
  'cookie',
  'authorization',
  'host',
  'content-length',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  ...HOP_BY_HOP,
]

function stripHopByHop(headers: Headers, extra: string[]): void {
  const listed = (headers.get('connection') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean)
  for (const h of [...extra, ...listed]) headers.delete(h)
  for (const name of [...headers.keys()]) if (name.startsWith('proxy-')) headers.delete(name)
}

/**
 * The upstream path for `path`, or `null` when it tries to escape: dot segments (plain or
 * percent-encoded), encoded slashes or backslashes, or anything that would leave the prefix.
 */
function upstreamPath(path: string, stripPrefix: string): string | null {
  let rest = path
  if (stripPrefix) {
    if (rest !== stripPrefix && !rest.startsWith(`${stripPrefix}/`)) return null
    rest = rest.slice(stripPrefix.length)
  }
  if (rest === '') rest = '/'
  if (!rest.startsWith('/') || rest.startsWith('//') || rest.includes('\\')) return null
  if (/%(2e|2f|5c|00)/i.test(rest)) return null
  if (rest.split('/').some((seg) => seg === '.' || seg === '..')) return null
  return rest
}

/**
 * Builds `auth.proxy()`: a bearer-forwarding handler. Mount it after `auth.middleware()`.
 * Forwards method, path, query and the streamed body to `upstream` only; drops `Cookie`,
 * `Authorization`, hop-by-hop headers and the browser's own `Forwarded` / `X-Forwarded-*`; adds
 * `Authorization: Bearer <token>`, `X-Forwarded-Host/Proto` and `X-Forwarded-For` (from
 * Cloudflare's `cf-connecting-ip`, when present); strips `Set-Cookie` from the response, and the upstream's
 * `Content-Encoding` / `Content-Length` since fetch() has already decoded the body. Unreachable
 * upstream → 502, timeout → 504.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1 (hop-by-hop fields)
 */
export function createProxy(options: ProxyOptions): Handler<BezzieEnv> {
  if (!options || typeof options.upstream !== 'string') {
    throw new TypeError('bezzie: auth.proxy({ upstream }) needs an upstream URL')
  }
  let upstream: URL
  try {
    upstream = new URL(options.upstream)
  } catch {
    throw new TypeError(`bezzie: auth.proxy({ upstream }) is not a URL: ${options.upstream}`)
  }
  if (
    !/^https?:$/.test(upstream.protocol) ||
    upstream.search ||
    upstream.hash ||
    upstream.username
  ) {
    throw new TypeError('bezzie: auth.proxy({ upstream }) must be an http(s) URL without query')
  }
  const stripPrefix = (options.stripPrefix ?? '').replace(/\/+$/, '')
  if (stripPrefix && !stripPrefix.startsWith('/')) {
    throw new TypeError('bezzie: auth.proxy({ stripPrefix }) must start with "/"')
  }
  const timeoutMs = options.timeoutMs ?? 10_000
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(
      'bezzie: auth.proxy({ timeoutMs }) must be a positive integer (milliseconds)',
    )
  }
  const basePath = upstream.pathname.replace(/\/+$/, '')

  return async function bezzieProxy(c: Context<BezzieEnv>): Promise<Response> {
    const accessToken = c.get('accessToken')
    if (!accessToken) return jsonError(c, 401, 'unauthorized')
    const incoming = new URL(c.req.url)
    const rest = upstreamPath(incoming.pathname, stripPrefix)
    if (rest === null) return jsonError(c, 400, 'invalid_path', 'path not allowed')
    const target = new URL(upstream.origin)
    target.pathname = basePath + rest
    target.search = incoming.search
    if (target.origin !== upstream.origin)
      return jsonError(c, 400, 'invalid_path', 'path not allowed')

    const headers = new Headers(c.req.raw.headers)
    stripHopByHop(headers, DROPPED_REQUEST)
    headers.set('authorization', `Bearer ${accessToken}`)
    // Cloudflare's verified client address; without it there is no trustworthy value to send.
    const clientIp = c.req.header('cf-connecting-ip')
    if (clientIp) headers.set('x-forwarded-for', clientIp)
    headers.set('x-forwarded-host', incoming.host)
    headers.set('x-forwarded-proto', incoming.protocol.replace(':', ''))

    const method = c.req.method
    const hasBody = method !== 'GET' && method !== 'HEAD'
    let response: Response
    try {
      response = await fetch(target, {
        method,
        headers,
        body: hasBody ? c.req.raw.body : null,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        ...(hasBody ? { duplex: 'half' } : {}),
      } as RequestInit)
    } catch (e) {
      const timedOut = e instanceof DOMException && e.name === 'TimeoutError'
      return timedOut
        ? jsonError(c, 504, 'upstream_timeout', 'the upstream API did not answer in time')
        : jsonError(c, 502, 'upstream_unreachable', 'the upstream API is unreachable')
    }
    const out = new Headers(response.headers)
    stripHopByHop(out, [...HOP_BY_HOP, 'set-cookie'])
    if (out.has('content-encoding')) {
      // fetch() hands over the body already decoded (Node's undici and workerd alike) but keeps
      // the upstream's Content-Encoding and Content-Length; forwarding those would label plain
      // bytes as gzip. The platform (or Cloudflare's edge) compresses the response again.
      out.delete('content-encoding')
      out.delete('content-length')
    }
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: out,
    })
  }
}

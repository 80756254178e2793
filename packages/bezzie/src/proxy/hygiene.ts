/**
 * What may cross the proxy: the request headers and query parameters that never go upstream, the
 * paths that may, and what an upstream response keeps. `proxy.ts` wires these into the handler.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1 (hop-by-hop fields)
 */

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
 * Request headers that never go upstream: the browser's credentials, routing headers, the
 * client-address and forwarding headers a browser can forge (the proxy sets its own; every
 * `x-forwarded-*` is dropped too), and method overrides, since the CSRF check judged the
 * request's real method (see also {@link METHOD_OVERRIDE_PARAMS}).
 */
const DROPPED_REQUEST = [
  'cookie',
  'authorization',
  // A DPoP proof is made by bezzie alone, for the token it sends.
  'dpop',
  'host',
  'content-length',
  'forwarded',
  'x-real-ip',
  'true-client-ip',
  'x-client-ip',
  'cf-connecting-ip',
  'x-original-url',
  'x-rewrite-url',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  ...HOP_BY_HOP,
]

/**
 * Query parameters that frameworks (Rails, Laravel, Symfony, Express's method-override) read as
 * the "real" method: `GET /x?_method=DELETE` must not reach the upstream as a DELETE that no CSRF
 * check ever saw. Compared case-insensitively.
 */
const METHOD_OVERRIDE_PARAMS = new Set([
  '_method',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
])

export function stripMethodOverrides(search: URLSearchParams): void {
  for (const name of [...search.keys()]) {
    if (METHOD_OVERRIDE_PARAMS.has(name.toLowerCase())) search.delete(name)
  }
}

/** Content-Security-Policy for proxied responses whose upstream sets none. */
const UPSTREAM_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"

/** workerd on Cloudflare, where `cf-connecting-ip` is set by the edge and cannot be forged. */
export const onCloudflare = () =>
  (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ===
  'Cloudflare-Workers'

function stripHopByHop(headers: Headers, extra: string[]): void {
  const listed = (headers.get('connection') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean)
  for (const h of [...extra, ...listed]) headers.delete(h)
  for (const name of [...headers.keys()]) {
    if (name.startsWith('proxy-') || name.startsWith('x-forwarded-')) headers.delete(name)
  }
}

/**
 * The upstream path for `path`, or `null` when it tries to escape: dot segments (plain or
 * percent-encoded), encoded slashes or backslashes, or anything that would leave the prefix.
 */
export function upstreamPath(path: string, stripPrefix: string): string | null {
  let rest = path
  if (stripPrefix) {
    if (rest !== stripPrefix && !rest.startsWith(`${stripPrefix}/`)) return null
    rest = rest.slice(stripPrefix.length)
  }
  if (rest === '') rest = '/'
  if (!rest.startsWith('/') || rest.startsWith('//') || rest.includes('\\')) return null
  if (/%(2e|2f|5c|00)/i.test(rest)) return null
  // `..;x` is a dot segment to servers that strip path parameters (Tomcat, Spring).
  const isDot = (seg: string) => ['.', '..'].includes(seg.split(';')[0] as string)
  if (rest.split('/').some(isDot)) return null
  return rest
}

/** The request headers to forward: the browser's, minus credentials, routing and forgeable ones. */
export function upstreamRequestHeaders(incoming: Headers): Headers {
  const headers = new Headers(incoming)
  stripHopByHop(headers, DROPPED_REQUEST)
  return headers
}

/**
 * The response headers the browser gets: the upstream's without hop-by-hop fields, cookies and
 * CORS headers, with `nosniff`, a sandboxing CSP unless the upstream sent one, `cacheControl`
 * (unless `false`) and no `Content-Encoding` / `Content-Length` for an already decoded body.
 */
export function browserResponseHeaders(upstream: Headers, cacheControl: string | false): Headers {
  const out = new Headers(upstream)
  stripHopByHop(out, [...HOP_BY_HOP, 'set-cookie'])
  // The upstream's CORS policy was written for bearer tokens, which no other page holds; on the
  // cookie-authenticated BFF origin it would let a (same-site) page read the user's data.
  for (const name of [...out.keys()]) if (name.startsWith('access-control-')) out.delete(name)
  // Upstream content now comes from the app's own origin: HTML in it (a user's upload, an error
  // page echoing input) must not run there. An upstream's own policy is kept.
  out.set('x-content-type-options', 'nosniff')
  if (!out.has('content-security-policy')) out.set('content-security-policy', UPSTREAM_CSP)
  if (cacheControl !== false) out.set('cache-control', cacheControl)
  if (out.has('content-encoding')) {
    // fetch() hands over the body already decoded (Node's undici and workerd alike) but keeps
    // the upstream's Content-Encoding and Content-Length; forwarding those would label plain
    // bytes as gzip. The platform (or Cloudflare's edge) compresses the response again.
    out.delete('content-encoding')
    out.delete('content-length')
  }
  return out
}

import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** What an error page shows: bezzie's own fixed text, never anything from the request or IdP. */
export interface ErrorPageInfo {
  /** HTTP status of the page. */
  status: number
  /** Stable error code (a bezzie code, or a registered OAuth/OIDC code the IdP answered with). */
  code: string
  /** A short sentence for people; bezzie's own wording. */
  message: string
  /** Same-origin URL that starts over (a fresh login, or the same page again). */
  retryUrl: string
}

/**
 * Renders the HTML page a failed browser navigation gets instead of JSON. A string is served as
 * `text/html` with bezzie's headers (`Cache-Control: no-store`, a `Content-Security-Policy` that
 * allows inline styles only, no scripts, `Referrer-Policy: no-referrer`); a `Response` is served
 * as is (`Cache-Control: no-store` added when missing). Escape what you interpolate.
 */
export type ErrorPageRenderer = (
  info: ErrorPageInfo,
) => string | Response | Promise<string | Response>

/** The policy of error pages: inline styles, nothing else loads or runs. */
export const ERROR_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] as string)

/** bezzie's default error page: small, self-contained, readable in light and dark schemes. */
export function defaultErrorPage(info: ErrorPageInfo): string {
  const code = escapeHtml(info.code)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Sign-in problem (${code})</title>
<style>
:root{color-scheme:light dark;font-family:system-ui,sans-serif}
body{margin:0;display:grid;place-items:center;min-height:100vh;background:#f4f3ef;color:#1c1b18}
main{max-width:32rem;margin:1rem;padding:2rem;border-radius:12px;background:#fff;box-shadow:0 1px 3px #0002}
code{font-family:ui-monospace,monospace;font-size:.9em}
a{display:inline-block;margin-top:1rem;padding:.6rem 1.2rem;border-radius:8px;background:#7c3aed;color:#fff;text-decoration:none}
@media (prefers-color-scheme:dark){body{background:#111110;color:#eeeeec}main{background:#1c1b1a}a{background:#9f5fff}}
</style>
</head>
<body>
<main>
<h1>Sign-in did not complete</h1>
<p>${escapeHtml(info.message)}</p>
<p>Error code: <code>${code}</code> (HTTP ${info.status})</p>
<a href="${escapeHtml(info.retryUrl)}">Try again</a>
</main>
</body>
</html>
`
}

/**
 * True for a top-level browser navigation (a person is looking at the answer), as opposed to
 * fetch/XHR: a GET or HEAD that accepts HTML, with `Sec-Fetch-Mode: navigate` or no Fetch Metadata.
 */
export function isNavigation(c: Context): boolean {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return false
  const mode = c.req.header('sec-fetch-mode')
  if (mode !== undefined && mode !== 'navigate') return false
  return (c.req.header('accept') ?? '').includes('text/html')
}

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': ERROR_PAGE_CSP,
  'X-Content-Type-Options': 'nosniff',
  // The page may sit at a URL holding an authorization code (the callback): links must not leak it.
  'Referrer-Policy': 'no-referrer',
}

/**
 * Answers with `info` as an HTML page through `render` (the default page when it throws). Goes
 * through `c` so cookies set or cleared earlier in the request are kept.
 */
export async function errorPage(
  c: Context,
  render: ErrorPageRenderer,
  info: ErrorPageInfo,
  headers: Record<string, string> = {},
): Promise<Response> {
  let body: string | Response
  try {
    body = await render(info)
  } catch {
    // A broken custom renderer must not turn a readable failure into a 500.
    body = defaultErrorPage(info)
  }
  const status = info.status as ContentfulStatusCode
  if (body instanceof Response) {
    const own = Object.fromEntries(body.headers)
    return c.body(await body.text(), status, { 'Cache-Control': 'no-store', ...headers, ...own })
  }
  const html = typeof body === 'string' ? body : defaultErrorPage(info)
  return c.body(html, status, { ...headers, ...PAGE_HEADERS })
}

import type { BezzieEnv } from 'bezzie'
import type { Context, Handler } from 'hono'

function failure(c: Context, status: 502, error: string, message: string): Response {
  c.header('Cache-Control', 'no-store')
  return c.json({ error, message }, status)
}

/**
 * `GET /api/me`: the upstream API's `/api/me` through `auth.proxy()` (which attaches the access
 * token: `Authorization: Bearer`, or `DPoP` with a proof when `DPOP` is on), relaying its JSON.
 * The upstream's own 401/403 becomes a 502: the browser's session is fine, the API refused the
 * Worker, and a 401 here would make the SPA believe it was logged out. The proxy's own answers
 * for an unreachable or slow upstream (502 / 504) are passed on as they are.
 */
export function upstreamMe(proxy: Handler<BezzieEnv>) {
  return async function upstreamMeHandler(c: Context<BezzieEnv>): Promise<Response> {
    const response = (await proxy(c, async () => {})) as Response
    // 502 / 504: unreachable or too slow (the proxy's answers), already what the SPA should see.
    if (response.status === 502 || response.status === 504) return response
    const body: unknown = await response.json().catch(() => null)
    if (!response.ok || body === null) {
      const code =
        typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : null
      return failure(
        c,
        502,
        'upstream_error',
        `the upstream API answered HTTP ${response.status}${code ? ` (${code})` : ''}`,
      )
    }
    c.header('Cache-Control', 'no-store')
    return c.json(body as object)
  }
}

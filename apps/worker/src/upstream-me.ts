import type { BezzieEnv } from 'bezzie'
import type { Context } from 'hono'

/** How long the dashboard's upstream call may take (in milliseconds). */
const UPSTREAM_TIMEOUT_MS = 5_000

function failure(c: Context, status: 502 | 504, error: string, message: string): Response {
  c.header('Cache-Control', 'no-store')
  return c.json({ error, message }, status)
}

/**
 * `GET /api/me`: calls the upstream API's `/api/me` with the session's access token, the way the
 * README's "Forwarding upstream" section shows (`c.var.accessToken`), and relays its JSON.
 * The upstream's own 401/403 becomes a 502: the browser's session is fine, the API refused the
 * Worker, and a 401 here would make the SPA believe it was logged out.
 */
export function upstreamMe(upstreamUrl: string) {
  return async function upstreamMeHandler(c: Context<BezzieEnv>): Promise<Response> {
    let response: Response
    try {
      response = await fetch(`${upstreamUrl}/api/me`, {
        headers: { authorization: `Bearer ${c.var.accessToken}`, accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      })
    } catch (e) {
      return e instanceof DOMException && e.name === 'TimeoutError'
        ? failure(c, 504, 'upstream_timeout', 'the upstream API did not answer in time')
        : failure(c, 502, 'upstream_unreachable', 'the upstream API is unreachable')
    }
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

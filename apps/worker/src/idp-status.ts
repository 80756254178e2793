import type { Context } from 'hono'

/** How long a probe waits for the IdP's discovery document, in milliseconds. */
const IDP_PROBE_TIMEOUT_MS = 3_000

/** Whether the IdP answers right now: its discovery document returns 2xx within 3 s. */
export async function idpReachable(issuer: string): Promise<boolean> {
  const discovery = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
  try {
    const response = await fetch(discovery, {
      redirect: 'manual',
      signal: AbortSignal.timeout(IDP_PROBE_TIMEOUT_MS),
    })
    await response.body?.cancel()
    return response.ok
  } catch {
    return false
  }
}

/**
 * `GET /api/idp-status`: `200 { reachable: true }` or `503 { reachable: false }`. The demo's
 * Log in button asks before it leaves the page, so that with the IdP down a person sees the
 * site's own "sign-in unavailable" page instead of the browser's "This site can't be reached".
 * Public (registered before the `/api/*` guard) and never cached.
 */
export function idpStatus(issuer: string) {
  return async function idpStatusHandler(c: Context): Promise<Response> {
    c.header('Cache-Control', 'no-store')
    const reachable = await idpReachable(issuer)
    return c.json({ reachable }, reachable ? 200 : 503)
  }
}

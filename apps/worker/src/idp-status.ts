import type { Context } from 'hono'

/** How long the probe waits for the IdP's discovery document, in milliseconds. */
const IDP_PROBE_TIMEOUT_MS = 3_000

/**
 * `GET /api/idp-status`: whether this Worker reaches its IdP right now (the discovery document
 * answers 2xx within 3 s): `200 { reachable: true }` or `503 { reachable: false }`. The demo's
 * Log in button asks before it leaves the page, so that with the IdP down a person sees the
 * site's own "sign-in unavailable" page instead of the browser's "This site can't be reached".
 * Public (registered before the `/api/*` guard) and never cached.
 */
export function idpStatus(issuer: string) {
  const discovery = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
  return async function idpStatusHandler(c: Context): Promise<Response> {
    c.header('Cache-Control', 'no-store')
    let reachable = false
    try {
      const response = await fetch(discovery, {
        redirect: 'manual',
        signal: AbortSignal.timeout(IDP_PROBE_TIMEOUT_MS),
      })
      await response.body?.cancel()
      reachable = response.ok
    } catch {
      reachable = false
    }
    return c.json({ reachable }, reachable ? 200 : 503)
  }
}

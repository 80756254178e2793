import type { Context, MiddlewareHandler } from 'hono'

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

/**
 * Wraps `POST /auth/logout`: bezzie has ended the session and answers with a redirect to the
 * IdP's logout page; when the IdP does not answer, the browser could only show its own error
 * page there, so the redirect goes to `afterLogout` (this site) instead. The session and its
 * cookie are gone either way; only the IdP's own session outlives an IdP outage.
 */
export function logoutWhenIdpDown(issuer: string, afterLogout: string): MiddlewareHandler {
  const idpOrigin = new URL(issuer).origin
  return async function logoutWhenIdpDownHandler(c, next) {
    await next()
    if (c.req.method !== 'POST') return
    const location = c.res.headers.get('location')
    if (location === null || new URL(location, afterLogout).origin !== idpOrigin) return
    if (await idpReachable(issuer)) return
    const headers = new Headers(c.res.headers)
    headers.set('location', afterLogout)
    const status = c.res.status
    // Hono copies the old response's headers (Location included) onto a replacement: clear first.
    c.res = undefined
    c.res = new Response(null, { status, headers })
  }
}

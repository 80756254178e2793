import type { MiddlewareHandler } from 'hono'
import { idpReachable } from './idp-status.ts'

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

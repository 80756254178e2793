import type { Context } from 'hono'
import type { ResolvedConfig } from './config.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** True for methods that must not change state (RFC 9110 safe methods). */
export const isSafeMethod = (method: string) => SAFE_METHODS.has(method.toUpperCase())

/**
 * Cross-site request forgery check for an unsafe-method request. Uses Fetch Metadata
 * (`Sec-Fetch-Site`) when the browser sends it, else compares `Origin` with `baseUrl`'s origin;
 * optionally also requires a custom header with the value `"1"`. Returns the reason on failure.
 *
 * A same-origin SPA on Cloudflare Pages whose Functions forward to the Worker passes: the
 * browser's `Origin` is the Pages origin, which is `baseUrl`.
 *
 * @see https://www.w3.org/TR/fetch-metadata/
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html
 */
export function csrfViolation(c: Context, config: ResolvedConfig): string | null {
  const reason = crossSiteReason(c, config)
  if (reason) return reason
  const header = config.csrf.requireHeader
  if (header && c.req.header(header) !== '1') return `missing ${header}: 1 header`
  return null
}

function crossSiteReason(c: Context, config: ResolvedConfig): string | null {
  const site = c.req.header('sec-fetch-site')
  if (site === 'cross-site') return 'cross-site request'
  if (site === 'same-site') {
    // The browser's own verdict decides; the Origin of an allowed sibling is foreign by design.
    return config.csrf.allowSameSite ? null : 'same-site request from another origin'
  }
  const origin = c.req.header('origin')
  if (origin !== undefined && origin !== config.origin) return 'foreign Origin'
  return null
}

/**
 * CSRF check for `POST /logout`, which browsers send as a top-level form navigation and so can
 * never carry a custom header. Fetch Metadata and `Origin` are checked as in
 * {@link csrfViolation}; instead of the required header, header mode demands positive proof of a
 * same-origin request (`Sec-Fetch-Site: same-origin` or an `Origin` equal to `baseUrl`'s), so a
 * request with neither header — the case the custom header exists for — is still refused.
 *
 * @see https://www.w3.org/TR/fetch-metadata/
 */
export function logoutCsrfViolation(c: Context, config: ResolvedConfig): string | null {
  const reason = crossSiteReason(c, config)
  if (reason || !config.csrf.requireHeader) return reason
  const site = c.req.header('sec-fetch-site')
  const sameOrigin =
    site === 'same-origin' ||
    (site === 'same-site' && config.csrf.allowSameSite) ||
    c.req.header('origin') === config.origin
  return sameOrigin ? null : 'neither Sec-Fetch-Site nor Origin shows a same-origin request'
}

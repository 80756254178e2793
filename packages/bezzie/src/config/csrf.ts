import { CSRF_HEADER } from '@bezzie/contract'
import { ConfigError } from '../errors.ts'
import { boolean, group } from './validate.ts'

/** CSRF defence for requests that carry the session cookie: `csrf` in {@link BezzieConfig}. */
export interface CsrfConfig {
  /**
   * Additionally require this request header with the value `"1"` (Duende BFF's `X-CSRF`
   * pattern): a cross-origin page cannot set it without a CORS preflight. `true` means
   * `"X-CSRF"` ({@link CSRF_HEADER}), the header bezzie-react's `bezzieFetch` sends; `false`, not
   * required. Default: not required.
   */
  requireHeader?: string | boolean
  /**
   * Accept `Sec-Fetch-Site: same-site` (a sibling subdomain such as `admin.example.com`), whatever
   * its `Origin`. Requests without Fetch Metadata must still carry `baseUrl`'s own `Origin`.
   * Default `false`.
   */
  allowSameSite?: boolean
  /**
   * Check every method, GET / HEAD / OPTIONS included, not only unsafe ones: a signed-in request
   * without `requireHeader: 1`, or from another site, gets 403 `csrf_failed` from
   * `auth.middleware()` (`auth.optionalMiddleware()` treats it as signed out). Stops a link or an
   * `<img>` on another site from reaching your API with the user's session. Needs
   * `requireHeader`; for API routes only (a navigation cannot send the header). Default `false`.
   */
  everyMethod?: boolean
}

/** {@link CsrfConfig} resolved: the header name, or `undefined` when none is required. */
export interface ResolvedCsrf {
  requireHeader: string | undefined
  allowSameSite: boolean
  everyMethod: boolean
}

/** Resolves `csrf`. */
export function resolveCsrf(config: { csrf?: CsrfConfig }): ResolvedCsrf {
  const g = group<CsrfConfig>(config, 'csrf')
  const requireHeader =
    g.requireHeader === true ? CSRF_HEADER : g.requireHeader === false ? undefined : g.requireHeader
  if (requireHeader !== undefined && !/^[\w-]+$/.test(requireHeader)) {
    throw new ConfigError('csrf.requireHeader', 'must be true or a header name such as "X-CSRF"')
  }
  const everyMethod = boolean({ value: g.everyMethod, name: 'csrf.everyMethod' }, false)
  if (everyMethod && g.requireHeader === false) {
    throw new ConfigError(
      'csrf.everyMethod',
      'contradicts "csrf.requireHeader: false": checking every method needs the header (a GET has no other proof it came from your page)',
    )
  }
  if (everyMethod && requireHeader === undefined) {
    throw new ConfigError('csrf.everyMethod', 'needs csrf.requireHeader (e.g. "X-CSRF")')
  }
  return {
    requireHeader,
    allowSameSite: boolean({ value: g.allowSameSite, name: 'csrf.allowSameSite' }, false),
    everyMethod,
  }
}

import type { Context, MiddlewareHandler } from 'hono'
import { type Clock, epochSeconds } from '../clock.ts'
import { ConfigError } from '../errors.ts'
import { isNavigation } from '../middleware.ts'
import {
  asBezzieError,
  errorResponse,
  jsonError,
  type LoginRouteConfig,
  loginUrl,
} from '../respond.ts'
import type { Runtime } from '../runtime.ts'
import { currentSession } from '../session/current.ts'
import type { SessionRecord } from '../session/record.ts'
import type { BezzieUser } from '../types.ts'

/** A value a user claim must have; an array means "any of these". */
export type ClaimRequirement = string | number | boolean | readonly (string | number | boolean)[]

/** Options of `auth.require()`. Every listed requirement must hold. */
export interface RequireOptions {
  /**
   * Claims of `c.var.user` (the output of `mapClaims`, so keep the claims you guard on there):
   * each listed claim must equal the value, or one of the values of an array; a user claim that is
   * itself an array (roles, groups) passes when it contains one of them. Or a predicate over the
   * user. Failing: 403 `{ "error": "forbidden" }`. Default: no claim requirement.
   */
  claims?:
    | Readonly<Record<string, ClaimRequirement>>
    | ((user: BezzieUser) => boolean | Promise<boolean>)
  /**
   * Scopes the session's access token must have been granted, all of them (the token response's
   * `scope`; when the IdP left it out, the scopes requested at login). Failing: 403
   * `{ "error": "insufficient_scope" }`. Default: none.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
   */
  scope?: string | readonly string[]
  /**
   * Authentication context classes, any one of which the ID token's `acr` must name (for example
   * `"urn:okta:loa:2fa:any"` or Keycloak's `"gold"`). Failing: step-up (see {@link maxAge}).
   * Default: any.
   * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
   */
  acr?: string | readonly string[]
  /**
   * How recently (in seconds) the user must have authenticated at the IdP (the ID token's
   * `auth_time`). Failing `acr` or `maxAge` is a step-up: a browser navigation is redirected to
   * login with `acr_values` / `max_age` and comes back to the same URL; other requests get 403
   * `{ "error": "insufficient_user_authentication", "acr_values", "max_age" }` for the app to start
   * that login. If the login that created the session already asked for these `acr_values` and the
   * IdP still did not deliver, navigations get that 403 too instead of looping. Default: any age.
   * @see https://www.rfc-editor.org/rfc/rfc9470 (OAuth 2.0 Step Up Authentication Challenge)
   */
  maxAge?: number
}

const list = (value: string | readonly string[] | undefined, option: string): string[] => {
  if (value === undefined) return []
  const values = typeof value === 'string' ? value.split(' ').filter(Boolean) : [...value]
  if (
    values.length === 0 ||
    values.some((v) => typeof v !== 'string' || !/^[\x21-\x7e]+$/.test(v))
  ) {
    throw new ConfigError(option, 'must be a non-empty string or array of strings without spaces')
  }
  return values
}

function resolveOptions(options: RequireOptions) {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('require', 'auth.require() needs an options object')
  }
  const { claims } = options
  if (claims !== undefined && typeof claims !== 'function') {
    if (typeof claims !== 'object' || claims === null) {
      throw new ConfigError('require.claims', 'must be an object of claim values or a function')
    }
    for (const [name, value] of Object.entries(claims)) {
      const values = Array.isArray(value) ? value : [value]
      if (
        values.length === 0 ||
        values.some((v) => !['string', 'number', 'boolean'].includes(typeof v))
      ) {
        throw new ConfigError(
          `require.claims.${name}`,
          'must be a string, number, boolean or a non-empty array of them',
        )
      }
    }
  }
  const maxAge = options.maxAge
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 0)) {
    throw new ConfigError('require.maxAge', 'must be an integer number of seconds >= 0')
  }
  return {
    claims,
    scope: list(options.scope, 'require.scope'),
    acr: list(options.acr, 'require.acr'),
    maxAge,
  }
}

type Resolved = ReturnType<typeof resolveOptions>

function claimMatches(actual: unknown, required: ClaimRequirement): boolean {
  const allowed: readonly unknown[] = Array.isArray(required) ? required : [required]
  if (Array.isArray(actual)) return actual.some((a) => allowed.includes(a))
  return allowed.includes(actual)
}

async function claimsHold(user: BezzieUser, claims: Resolved['claims']): Promise<boolean> {
  if (claims === undefined) return true
  if (typeof claims === 'function') return (await claims(user)) === true
  return Object.entries(claims).every(([name, required]) => claimMatches(user[name], required))
}

function grantedScopes(configured: string[], record: SessionRecord): Set<string> {
  const scope = record.tokens.scope
  return new Set(scope === undefined ? configured : scope.split(' '))
}

function authenticationHolds(now: Clock, record: SessionRecord, options: Resolved): boolean {
  if (options.acr.length > 0 && !options.acr.includes(record.claims.acr as string)) return false
  if (options.maxAge !== undefined) {
    const authTime = record.claims.auth_time
    if (authTime === undefined || epochSeconds(now) - authTime > options.maxAge) return false
  }
  return true
}

function stepUpLoginUrl(config: LoginRouteConfig, c: Context, options: Resolved): string {
  const url = new URL(c.req.url)
  return loginUrl(config, url.pathname + url.search, {
    ...(options.acr.length > 0 ? { acr_values: options.acr.join(' ') } : {}),
    ...(options.maxAge !== undefined ? { max_age: String(options.maxAge) } : {}),
  })
}

/** True when the session's own login already asked the IdP for these `acr_values`. */
function alreadyAsked(record: SessionRecord, options: Resolved): boolean {
  if (options.acr.length === 0 || record.acrValuesRequested === undefined) return false
  const asked = record.acrValuesRequested.split(' ')
  return options.acr.every((value) => asked.includes(value))
}

/**
 * Builds `auth.require()`: an authorization guard to mount after `auth.middleware()` (or
 * `optionalMiddleware()`, where a signed-out request gets 401). Validates `options` up front
 * ({@link ConfigError} naming the option).
 */
export function requireGuard(rt: Runtime, options: RequireOptions): MiddlewareHandler {
  const resolved = resolveOptions(options)
  return async function bezzieRequire(c, next) {
    const session = currentSession(c)
    if (!session) return jsonError(c, 401, 'unauthorized')
    const { record } = session
    try {
      if (!(await claimsHold(record.user, resolved.claims))) {
        return jsonError(c, 403, 'forbidden', 'the signed-in user may not do this')
      }
    } catch (e) {
      rt.report(asBezzieError(e))
      return errorResponse(c, e)
    }
    const granted = grantedScopes(rt.config.scopes, record)
    const missing = resolved.scope.filter((s) => !granted.has(s))
    if (missing.length > 0) {
      return jsonError(c, 403, 'insufficient_scope', `missing scope: ${missing.join(' ')}`)
    }
    if (!authenticationHolds(rt.config.now, record, resolved)) {
      if (isNavigation(c) && !alreadyAsked(record, resolved)) {
        c.header('Cache-Control', 'no-store')
        return c.redirect(stepUpLoginUrl(rt.config, c, resolved), 302)
      }
      c.header('Cache-Control', 'no-store')
      return c.json(
        {
          error: 'insufficient_user_authentication',
          message: 'a stronger or more recent sign-in is required',
          ...(resolved.acr.length > 0 ? { acr_values: resolved.acr.join(' ') } : {}),
          ...(resolved.maxAge !== undefined ? { max_age: resolved.maxAge } : {}),
        },
        403,
      )
    }
    await next()
  }
}

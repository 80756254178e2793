import type { BezzieError } from '../errors.ts'
import type { BezzieUser, LoginEvent, LogoutEvent, RefreshEvent } from '../types.ts'
import { either, fn, group } from './validate.ts'

/** Your code at points of the session's life: `hooks` in {@link BezzieConfig}. */
export interface HooksConfig {
  /**
   * Maps validated ID token claims to `c.var.user` (`sub` is kept). Throwing aborts the login and
   * no session is created. Default: the standard profile claims present ({@link defaultMapClaims}).
   * The seed's flat form: `mapClaims`.
   */
  mapClaims?: (claims: Record<string, unknown>) => BezzieUser | Promise<BezzieUser>
  /**
   * Called after a successful login, before the session is stored. Throwing aborts the login
   * (500 `login_hook_failed`) and no session is created. Default: none. The seed's flat form:
   * `onLogin`.
   */
  onLogin?: (event: LoginEvent) => void | Promise<void>
  /**
   * Called after a successful token refresh (never with tokens). Errors are reported, not thrown.
   * Default: none. The seed's flat form: `onRefresh`.
   */
  onRefresh?: (event: RefreshEvent) => void | Promise<void>
  /**
   * Called after a logged-out session is deleted. Errors are reported, not thrown. Default: none.
   * The seed's flat form: `onLogout`.
   */
  onLogout?: (event: LogoutEvent) => void | Promise<void>
  /**
   * Called with every error bezzie handles (never with tokens). Default: `console.error` of the
   * error's name, code and message. The seed's flat form: `onError`.
   */
  onError?: (error: BezzieError) => void
}

/** {@link HooksConfig} with the defaults of `mapClaims` and `onError` applied. */
export interface ResolvedHooks {
  mapClaims: NonNullable<HooksConfig['mapClaims']>
  onLogin: HooksConfig['onLogin']
  onRefresh: HooksConfig['onRefresh']
  onLogout: HooksConfig['onLogout']
  onError: NonNullable<HooksConfig['onError']>
}

const PROFILE_CLAIMS = [
  'sub',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'preferred_username',
  'email',
  'email_verified',
  'picture',
  'locale',
  'sid',
] as const

/** The default `mapClaims`: the standard profile claims present in the ID token. */
export function defaultMapClaims(claims: Record<string, unknown>): BezzieUser {
  const user: Record<string, unknown> = {}
  for (const k of PROFILE_CLAIMS) if (claims[k] !== undefined) user[k] = claims[k]
  return user as BezzieUser
}

const logError = (error: BezzieError) =>
  console.error(`[bezzie] ${error.name} (${error.code}): ${error.message}`)

/** Resolves `hooks` (and the seed's flat hooks, `mapClaims` … `onError`). */
export function resolveHooks(config: HooksConfig & { hooks?: HooksConfig }): ResolvedHooks {
  const g = group<HooksConfig>(config, 'hooks')
  const hook = <K extends keyof HooksConfig>(name: K) =>
    fn(either(g[name], `hooks.${name}`, config[name], name))
  return {
    mapClaims: hook('mapClaims') ?? defaultMapClaims,
    onLogin: hook('onLogin'),
    onRefresh: hook('onRefresh'),
    onLogout: hook('onLogout'),
    onError: hook('onError') ?? logError,
  }
}

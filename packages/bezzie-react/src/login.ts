import { DEFAULT_BASE_PATH } from '@bezzie/contract'
import { AUTHORIZATION_PARAM_NAMES, type AuthorizationParams } from './authorization-params.ts'
import { defaultNavigate } from './lib/default-navigate.ts'
import { joinPath } from './lib/join-path.ts'
import type { Navigate } from './types.ts'

/** Options of {@link login} and {@link loginUrl}. */
export interface LoginOptions extends AuthorizationParams {
  /**
   * Where to land after login: a relative path such as `/dashboard?tab=2`. The BFF rejects
   * absolute URLs. Default: the BFF's `defaultReturnTo`.
   */
  returnTo?: string
  /** Where the BFF's routes are mounted. Default is `'/auth'`. */
  basePath?: string
}

/** The URL of the BFF's login route: `{basePath}/login?returnTo=…&prompt=…`. */
export function loginUrl({
  basePath = DEFAULT_BASE_PATH,
  returnTo,
  ...params
}: LoginOptions = {}): string {
  const search = new URLSearchParams()
  if (returnTo !== undefined) search.set('returnTo', returnTo)
  for (const name of AUTHORIZATION_PARAM_NAMES) {
    const value = params[name]
    if (value !== undefined) search.set(name, String(value))
  }
  const query = search.toString()
  return query === '' ? joinPath(basePath, 'login') : `${joinPath(basePath, 'login')}?${query}`
}

/**
 * Starts a login: a top-level navigation to the BFF's login route, which redirects to the IdP
 * (authorization code flow with PKCE) and, after the callback, back to `returnTo`.
 * Inside a `<BezzieProvider>`, prefer `useLogin()`, which knows the base path.
 */
export function login(options: LoginOptions & { navigate?: Navigate } = {}): void {
  const { navigate = defaultNavigate, ...rest } = options
  navigate(loginUrl(rest))
}

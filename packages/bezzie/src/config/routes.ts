import { DEFAULT_BASE_PATH } from '@bezzie/contract'
import { ConfigError } from '../errors.ts'
import { safeReturnTo } from '../return-to.ts'
import { boolean, group, path } from './validate.ts'

/** Route paths, relative to where `auth.routes()` is mounted. */
export interface RoutesConfig {
  /**
   * Where `auth.routes()` is mounted (`app.route(basePath, auth.routes())`). Used to build the
   * `redirect_uri` and the login redirect of `auth.middleware()`. Default `"/auth"`.
   */
  basePath?: string
  /** Default `"/login"`. */
  login?: string
  /** Default `"/callback"`. */
  callback?: string
  /** Default `"/logout"`. */
  logout?: string
  /** Default `"/me"`. */
  me?: string
  /** Default `"/backchannel-logout"`; served only with `logout.backchannel: true`. */
  backchannelLogout?: string
  /** Default `"/jwks"`; the public keys of `clientPrivateKey`, served only when it is set. */
  jwks?: string
  /**
   * Default `"/sessions"`: "your devices" — `GET` lists the user's sessions, `POST …/revoke`
   * ends one or all others. Served only with an adapter that has an index.
   */
  sessions?: string
}

const DEFAULTS: Required<RoutesConfig> = {
  basePath: DEFAULT_BASE_PATH,
  login: '/login',
  callback: '/callback',
  logout: '/logout',
  me: '/me',
  backchannelLogout: '/backchannel-logout',
  jwks: '/jwks',
  sessions: '/sessions',
}

/** Resolves `routes`, the redirect URI, `defaultReturnTo` and `callbackErrorRedirect`. */
export function resolveRoutes(
  config: { routes?: RoutesConfig; defaultReturnTo?: string; callbackErrorRedirect?: boolean },
  baseUrl: URL,
) {
  const given = group<RoutesConfig>(config, 'routes')
  const routes = { ...DEFAULTS }
  for (const name of Object.keys(DEFAULTS) as (keyof RoutesConfig)[]) {
    routes[name] = path(given[name], `routes.${name}`, DEFAULTS[name])
  }
  const base = routes.basePath === '/' ? '' : routes.basePath
  const redirectUri = new URL(`${base}${routes.callback}`, baseUrl).href

  const defaultReturnTo = config.defaultReturnTo ?? '/'
  if (safeReturnTo(defaultReturnTo) !== defaultReturnTo) {
    throw new ConfigError('defaultReturnTo', 'must be a relative path like "/dashboard"')
  }
  const callbackErrorRedirect = boolean(
    { value: config.callbackErrorRedirect, name: 'callbackErrorRedirect' },
    true,
  )
  return { routes, redirectUri, defaultReturnTo, callbackErrorRedirect }
}

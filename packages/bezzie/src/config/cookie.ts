import { ConfigError } from '../errors.ts'
import { boolean, either, group } from './validate.ts'

/** The session cookie: `cookie` in {@link BezzieConfig}. */
export interface CookieConfig {
  /**
   * Session cookie name (letters, digits, `_` and `-`). Default `"__Host-session"`. With `secure`
   * the `__Host-` prefix is added when missing; without it the prefix is removed. The seed's flat
   * form: `cookieName`.
   */
  name?: string
  /**
   * Mark cookies `Secure` and use the `__Host-` prefix. Default `true` (browsers accept it on
   * `http://localhost` too). The seed's flat form: `secureCookies`.
   */
  secure?: boolean
}

/** The session cookie as bezzie writes it. */
export interface ResolvedCookie {
  /** The name without the `__Host-` prefix. */
  name: string
  prefix: 'host' | undefined
  secure: boolean
  /** The name on the wire, prefix included. */
  fullName: string
}

/** The seed's flat names of the cookie options. */
export interface FlatCookieConfig {
  cookieName?: string
  secureCookies?: boolean
}

/** Resolves `cookie` (and the seed's `cookieName` / `secureCookies`). */
export function resolveCookie(
  config: FlatCookieConfig & { cookie?: CookieConfig },
): ResolvedCookie {
  const g = group<CookieConfig>(config, 'cookie')
  const secure = boolean(
    either(g.secure, 'cookie.secure', config.secureCookies, 'secureCookies'),
    true,
  )
  const nameOption = either(g.name, 'cookie.name', config.cookieName, 'cookieName')
  const rawName = nameOption.value ?? '__Host-session'
  if (typeof rawName !== 'string' || !/^[\w-]+$/.test(rawName)) {
    throw new ConfigError(nameOption.name, 'must contain only letters, digits, "_" and "-"')
  }
  const bareName = rawName.replace(/^__Host-/, '')
  if (!bareName) throw new ConfigError(nameOption.name, 'must not be just "__Host-"')
  return secure
    ? { name: bareName, prefix: 'host', secure: true, fullName: `__Host-${bareName}` }
    : { name: bareName, prefix: undefined, secure: false, fullName: bareName }
}

import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { ResolvedConfig } from './config.ts'

type CookieSpec = ResolvedConfig['cookie']

/** Name suffix of the short-lived login transaction cookie. */
const TX_SUFFIX = '-tx'

function base(spec: CookieSpec) {
  return {
    httpOnly: true,
    secure: spec.secure,
    sameSite: 'Lax' as const,
    path: '/',
    ...(spec.prefix ? { prefix: spec.prefix } : {}),
  }
}

function read(c: Context, spec: CookieSpec, name: string): string | undefined {
  const value = spec.prefix ? getCookie(c, name, spec.prefix) : getCookie(c, name)
  return typeof value === 'string' && value.length <= 4096 ? value : undefined
}

/** True when the request carries the session cookie at all, whatever its size or shape. */
export const sessionCookiePresent = (c: Context, spec: CookieSpec): boolean =>
  (spec.prefix ? getCookie(c, spec.name, spec.prefix) : getCookie(c, spec.name)) !== undefined

/** The session id from the request's cookie (unvalidated; `undefined` when oversized). */
export const readSessionCookie = (c: Context, spec: CookieSpec) => read(c, spec, spec.name)

/** Sets the session cookie: `__Host-` prefix, HttpOnly, Secure, SameSite=Lax, Path=/, no Domain. */
export function setSessionCookie(c: Context, spec: CookieSpec, id: string, maxAge: number): void {
  setCookie(c, spec.name, id, { ...base(spec), maxAge })
}

export function clearSessionCookie(c: Context, spec: CookieSpec): void {
  deleteCookie(c, spec.name, base(spec))
}

/**
 * Login transaction cookies are named per login (`<name>-tx-<first 12 characters of state>`), so
 * logins started in several tabs do not overwrite each other.
 */
const txName = (spec: CookieSpec, state: string) => `${spec.name}${TX_SUFFIX}-${state.slice(0, 12)}`

/** A transaction cookie is looked up by the callback's `state`, which must look like ours. */
export const isTransactionState = (state: string | undefined): state is string =>
  typeof state === 'string' && /^[\w-]{12,128}$/.test(state)

export const readTransactionCookie = (c: Context, spec: CookieSpec, state: string) =>
  read(c, spec, txName(spec, state))

export function setTransactionCookie(
  c: Context,
  spec: CookieSpec,
  state: string,
  value: string,
  maxAge: number,
): void {
  setCookie(c, txName(spec, state), value, { ...base(spec), maxAge })
}

export function clearTransactionCookie(c: Context, spec: CookieSpec, state: string): void {
  deleteCookie(c, txName(spec, state), base(spec))
}

/**
 * Clears abandoned transaction cookies when a browser has piled up more than `keep`, so repeated
 * unfinished logins cannot grow the Cookie header without bound.
 */
export function pruneTransactionCookies(c: Context, spec: CookieSpec, keep: number): void {
  const all = getCookie(c)
  const prefix = `${spec.prefix ? '__Host-' : ''}${spec.name}${TX_SUFFIX}-`
  const names = Object.keys(all).filter((n) => n.startsWith(prefix))
  if (names.length <= keep) return
  for (const full of names) {
    deleteCookie(c, full.slice(spec.prefix ? '__Host-'.length : 0), base(spec))
  }
}

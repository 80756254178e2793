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

/** The session id from the request's cookie (unvalidated). */
export const readSessionCookie = (c: Context, spec: CookieSpec) => read(c, spec, spec.name)

/** Sets the session cookie: `__Host-` prefix, HttpOnly, Secure, SameSite=Lax, Path=/, no Domain. */
export function setSessionCookie(c: Context, spec: CookieSpec, id: string, maxAge: number): void {
  setCookie(c, spec.name, id, { ...base(spec), maxAge })
}

export function clearSessionCookie(c: Context, spec: CookieSpec): void {
  deleteCookie(c, spec.name, base(spec))
}

export const readTransactionCookie = (c: Context, spec: CookieSpec) =>
  read(c, spec, spec.name + TX_SUFFIX)

export function setTransactionCookie(c: Context, spec: CookieSpec, value: string, maxAge: number) {
  setCookie(c, spec.name + TX_SUFFIX, value, { ...base(spec), maxAge })
}

export function clearTransactionCookie(c: Context, spec: CookieSpec): void {
  deleteCookie(c, spec.name + TX_SUFFIX, base(spec))
}

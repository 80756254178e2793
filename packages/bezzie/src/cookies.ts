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

/** The bare (unprefixed) names of this browser's transaction cookies with their sizes. */
interface TransactionCookie {
  name: string
  /** Bytes the cookie adds to the `Cookie` header (`name=value; `). */
  bytes: number
}

/**
 * This request's transaction cookies: only names of exactly the shape bezzie sets
 * (`<name>-tx-<12 base64url characters>`). Anything else that merely starts like one was planted
 * (a sibling port, an XSS): it is ignored, never echoed into a `Set-Cookie` (Hono refuses to
 * serialize names with `@ : / , ?` and would throw).
 */
export function transactionCookies(c: Context, spec: CookieSpec): TransactionCookie[] {
  const prefix = spec.prefix ? '__Host-' : ''
  const pattern = new RegExp(`^${prefix}${spec.name}${TX_SUFFIX}-[\\w-]{12}$`)
  const found: TransactionCookie[] = []
  for (const [full, value] of Object.entries(getCookie(c))) {
    if (!pattern.test(full)) continue
    found.push({ name: full.slice(prefix.length), bytes: full.length + value.length + 3 })
  }
  return found
}

/** Limits on the transaction cookies one browser holds at once. */
export interface TransactionCookieBudget {
  /** Most transaction cookies (parallel unfinished logins). */
  maxCount: number
  /** Most bytes all of them add to the `Cookie` header, the one being set included. */
  maxBytes: number
}

/**
 * Before a new transaction cookie of `incomingBytes` is set: when it would exceed `budget`, clears
 * every earlier transaction cookie (abandoned logins), so repeated unfinished logins can never
 * grow the Cookie header bezzie causes past the budget.
 */
export function pruneTransactionCookies(
  c: Context,
  spec: CookieSpec,
  budget: TransactionCookieBudget,
  incomingBytes: number,
): void {
  const existing = transactionCookies(c, spec)
  const bytes = existing.reduce((sum, t) => sum + t.bytes, incomingBytes)
  if (existing.length + 1 <= budget.maxCount && bytes <= budget.maxBytes) return
  for (const { name } of existing) deleteCookie(c, name, base(spec))
}

/** Bytes a transaction cookie for `state` with `value` adds to the Cookie header. */
export const transactionCookieBytes = (spec: CookieSpec, state: string, value: string) =>
  (spec.prefix ? 7 : 0) + txName(spec, state).length + value.length + 3

/** Name suffix of the short-lived "a login just failed" marker (the server-side loop breaker). */
const FAILED_SUFFIX = '-failed'

/** Seconds a failed login keeps automatic logins from starting again. */
export const LOGIN_FAILED_MARKER_SECONDS = 60

/**
 * Marks this browser as having just come back from a failed login with `code` (an allow-listed
 * error code), so nothing sends it back to the IdP automatically for a minute.
 */
export function setLoginFailedCookie(c: Context, spec: CookieSpec, code: string): void {
  setCookie(c, `${spec.name}${FAILED_SUFFIX}`, code, {
    ...base(spec),
    maxAge: LOGIN_FAILED_MARKER_SECONDS,
  })
}

/** The code of a recent failed login in this browser, if any (shape-checked). */
export function readLoginFailedCookie(c: Context, spec: CookieSpec): string | undefined {
  const value = read(c, spec, `${spec.name}${FAILED_SUFFIX}`)
  return value !== undefined && /^[a-z_]{1,64}$/.test(value) ? value : undefined
}

export function clearLoginFailedCookie(c: Context, spec: CookieSpec): void {
  deleteCookie(c, `${spec.name}${FAILED_SUFFIX}`, base(spec))
}

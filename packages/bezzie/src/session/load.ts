import type { Context } from 'hono'
import { readSessionCookie, sessionCookiePresent } from '../cookies.ts'
import type { Runtime } from '../runtime.ts'
import { isWellFormedId } from './id.ts'
import { nowSeconds } from './record.ts'
import type { StoredSession } from './store.ts'

/** A session read for the current request. */
export type LoadedSession = StoredSession

/** True when the request carries a session cookie at all (well-formed or not). */
export const hasSessionCookie = (c: Context, rt: Runtime) =>
  sessionCookiePresent(c, rt.config.cookie)

/**
 * True when the request carries a session cookie that can never be valid (malformed or
 * oversized), which is safe to clear. A well-formed id whose session is not found is left alone:
 * with an eventually consistent store (KV) it may just not have arrived at this location yet.
 */
export function hasMalformedSessionCookie(c: Context, rt: Runtime): boolean {
  return hasSessionCookie(c, rt) && !isWellFormedId(readSessionCookie(c, rt.config.cookie))
}

/** The current request's session: one store read; `null` when absent, malformed or expired. */
export async function loadSession(c: Context, rt: Runtime): Promise<LoadedSession | null> {
  const id = readSessionCookie(c, rt.config.cookie)
  if (!isWellFormedId(id)) return null
  return rt.store.read(await rt.store.keyOf(id))
}

/**
 * Slides the idle expiry, writing back only when the stored expiry is older than
 * `touchIntervalSeconds`, so a steady stream of requests is not a stream of writes. The slide is
 * applied to the newest stored record (compare-and-set), never by writing back the copy this
 * request read: a refresh that landed meanwhile keeps its new tokens.
 */
export async function touchSession(rt: Runtime, session: LoadedSession): Promise<LoadedSession> {
  const { sessionTtlSeconds, touchIntervalSeconds } = rt.config
  const now = nowSeconds()
  const target = (r: LoadedSession['record']) =>
    Math.min(now + sessionTtlSeconds, r.absoluteExpiresAt)
  const due = (r: LoadedSession['record']) =>
    target(r) - r.idleExpiresAt >= Math.max(1, touchIntervalSeconds)
  if (!due(session.record)) return session
  const written = await rt.store.update(session, (current) =>
    due(current) ? { ...current, idleExpiresAt: target(current) } : null,
  )
  return written ?? session
}

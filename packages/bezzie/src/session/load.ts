import type { Context } from 'hono'
import type { ResolvedConfig } from '../config.ts'
import { readSessionCookie, sessionCookiePresent } from '../cookies.ts'
import { isWellFormedId } from './id.ts'
import { nowSeconds, type SessionRecord } from './record.ts'
import type { SessionStore, StoredSession } from './store.ts'

/** What reading and sliding a session needs (a `Runtime` fits): the cookie, lifetimes, the store. */
export interface SessionDeps {
  config: Pick<ResolvedConfig, 'cookie' | 'session'>
  store: Pick<SessionStore, 'readSession' | 'update'>
}

/** A session read for the current request. */
export type LoadedSession = StoredSession

/** True when the request carries a session cookie at all (well-formed or not). */
export const hasSessionCookie = (c: Context, rt: SessionDeps) =>
  sessionCookiePresent(c, rt.config.cookie)

/**
 * True when the request carries a session cookie that can never be valid (malformed or
 * oversized), which is safe to clear. A well-formed id whose session is not found is left alone:
 * with an eventually consistent store (KV) it may just not have arrived at this location yet.
 */
export function hasMalformedSessionCookie(c: Context, rt: SessionDeps): boolean {
  return hasSessionCookie(c, rt) && !isWellFormedId(readSessionCookie(c, rt.config.cookie))
}

/** The current request's session: one store read; `null` when absent, malformed or expired. */
export function loadSession(c: Context, rt: SessionDeps): Promise<LoadedSession | null> {
  const id = readSessionCookie(c, rt.config.cookie)
  if (!isWellFormedId(id)) return Promise.resolve(null)
  return rt.store.readSession(id)
}

const slideTarget = (rt: SessionDeps, r: SessionRecord, now: number) =>
  Math.min(now + rt.config.session.idleTtlSeconds, r.absoluteExpiresAt)

/** True when {@link touchSession} would write, i.e. the stored idle expiry is due to slide. */
export function touchDue(rt: SessionDeps, r: SessionRecord, now = nowSeconds()): boolean {
  return (
    slideTarget(rt, r, now) - r.idleExpiresAt >= Math.max(1, rt.config.session.touchIntervalSeconds)
  )
}

/**
 * Slides the idle expiry, writing back only when the stored expiry is older than
 * `touchIntervalSeconds`, so a steady stream of requests is not a stream of writes. The slide is
 * applied to the newest stored record (compare-and-set), never by writing back the copy this
 * request read: a refresh that landed meanwhile keeps its new tokens. `null` when the write found
 * the session deleted meanwhile (a logout elsewhere, seen by the store's compare-and-set even when
 * this request read a stale copy): the request is then signed out, and nothing is written.
 */
export async function touchSession(
  rt: SessionDeps,
  session: LoadedSession,
): Promise<LoadedSession | null> {
  const now = nowSeconds()
  if (!touchDue(rt, session.record, now)) return session
  return rt.store.update(session, (current) =>
    touchDue(rt, current, now)
      ? { ...current, idleExpiresAt: slideTarget(rt, current, now) }
      : null,
  )
}

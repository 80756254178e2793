import type { Context } from 'hono'
import { readSessionCookie, sessionCookiePresent } from '../cookies.ts'
import type { Runtime } from '../runtime.ts'
import { isWellFormedId, sessionKey } from './id.ts'
import { nowSeconds, type SessionRecord } from './record.ts'

/** A session read for the current request. */
export interface LoadedSession {
  key: string
  record: SessionRecord
}

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
  const key = await sessionKey(id)
  const record = await rt.store.read(key)
  return record ? { key, record } : null
}

/**
 * Slides the idle expiry, writing back only when the stored expiry is older than
 * `touchIntervalSeconds`, so a steady stream of requests is not a stream of writes.
 */
export async function touchSession(rt: Runtime, session: LoadedSession): Promise<LoadedSession> {
  const { sessionTtlSeconds, touchIntervalSeconds } = rt.config
  const now = nowSeconds()
  const { record } = session
  const target = Math.min(now + sessionTtlSeconds, record.absoluteExpiresAt)
  if (target - record.idleExpiresAt < Math.max(1, touchIntervalSeconds)) return session
  const next = { ...record, idleExpiresAt: target }
  const written = await rt.store.update(session.key, next)
  return written ? { key: session.key, record: next } : session
}

import type { Context } from 'hono'
import type { LoadedSession } from './load.ts'

// Keyed by the request's Context (one per request in Hono), so nothing is added to `c.var`'s
// public shape and nothing outlives the request.
const current = new WeakMap<Context, LoadedSession>()

/** Remembers the session `auth.middleware()` resolved for this request. */
export function rememberSession(c: Context, session: LoadedSession): void {
  current.set(c, session)
}

/** The session resolved for this request by a bezzie middleware, if any. */
export function currentSession(c: Context): LoadedSession | undefined {
  return current.get(c)
}

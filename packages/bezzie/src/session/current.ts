import type { Context } from 'hono'
import type { LoadedSession } from './load.ts'

// A symbol-keyed property of the request's Context (one per request in Hono): nothing is added to
// `c.var`'s public shape and nothing outlives the request. Cheaper than a WeakMap entry per
// request, which the garbage collector has to trace as an ephemeron.
const SESSION: unique symbol = Symbol('bezzie.session')

type WithSession = Context & { [SESSION]?: LoadedSession }

/** Remembers the session `auth.middleware()` resolved for this request. */
export function rememberSession(c: Context, session: LoadedSession): void {
  ;(c as WithSession)[SESSION] = session
}

/** The session resolved for this request by a bezzie middleware, if any. */
export function currentSession(c: Context): LoadedSession | undefined {
  return (c as WithSession)[SESSION]
}

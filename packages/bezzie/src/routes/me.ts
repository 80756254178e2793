import type { MeResponse } from '@bezzie/contract'
import type { Context } from 'hono'
import { clearSessionCookie } from '../cookies.ts'
import { asBezzieError, errorResponse } from '../respond.ts'
import type { Runtime } from '../runtime.ts'
import { hasMalformedSessionCookie, loadSession, touchSession } from '../session/load.ts'
import { expiresAt } from '../session/record.ts'

/**
 * `GET /me`: the signed-in user and session expiry, or `{ user: null }` — 200 either way,
 * `Cache-Control: no-store`, never a token. `?slide=false` reads without extending the session.
 * It does not refresh tokens (no IdP call).
 */
export function meHandler(rt: Runtime) {
  return async function me(c: Context): Promise<Response> {
    c.header('Cache-Control', 'no-store')
    c.header('Vary', 'Cookie')
    try {
      let session = await loadSession(c, rt)
      if (!session) {
        if (hasMalformedSessionCookie(c, rt)) clearSessionCookie(c, rt.config.cookie)
        return c.json({ user: null } satisfies MeResponse)
      }
      if (c.req.query('slide') !== 'false') {
        const touched = await touchSession(rt, session)
        if (!touched) {
          clearSessionCookie(c, rt.config.cookie)
          return c.json({ user: null } satisfies MeResponse)
        }
        session = touched
      }
      const { record } = session
      return c.json({
        user: record.user,
        session: { expiresAt: expiresAt(record), absoluteExpiresAt: record.absoluteExpiresAt },
      } satisfies MeResponse)
    } catch (e) {
      rt.report(asBezzieError(e))
      return errorResponse(c, e)
    }
  }
}

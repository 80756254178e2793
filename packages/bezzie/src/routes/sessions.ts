import type { Context } from 'hono'
import { clearSessionCookie } from '../cookies.ts'
import { csrfViolation } from '../csrf.ts'
import { revokeDevices } from '../devices/revoke-devices.ts'
import { listSessions, type SessionInfo } from '../devices/sessions-list.ts'
import { asBezzieError, errorResponse, jsonError } from '../respond.ts'
import type { Runtime } from '../runtime.ts'
import { loadSession } from '../session/load.ts'

/** The body of `GET {basePath}/sessions`. */
export interface SessionsResponse {
  sessions: SessionInfo[]
}

/** The body of `POST {basePath}/sessions/revoke`. */
export type RevokeSessionRequest = { id: string } | { others: true }

/**
 * `GET {basePath}/sessions`: the signed-in user's devices ("Your devices"), the current one
 * marked; 401 when signed out. `Cache-Control: no-store`.
 */
export function listSessionsHandler(rt: Runtime) {
  return async function sessions(c: Context): Promise<Response> {
    c.header('Cache-Control', 'no-store')
    try {
      const session = await loadSession(c, rt)
      if (!session) return jsonError(c, 401, 'unauthorized')
      const list = await listSessions(rt, session.record.claims.sub, session.key)
      return c.json({ sessions: list.map((s) => s.info) } satisfies SessionsResponse)
    } catch (e) {
      rt.report(asBezzieError(e))
      return errorResponse(c, e)
    }
  }
}

async function readRequest(c: Context): Promise<RevokeSessionRequest | null> {
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return null
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    return null
  }
  if (typeof body !== 'object' || body === null) return null
  const { id, others } = body as { id?: unknown; others?: unknown }
  if (typeof id === 'string' && /^[\w-]{22}$/.test(id) && others === undefined) return { id }
  if (others === true && id === undefined) return { others: true }
  return null
}

/**
 * `POST {basePath}/sessions/revoke` with JSON `{ "id": "<handle>" }` (sign out that device, this
 * one included) or `{ "others": true }` (every other device). CSRF-checked like every unsafe
 * request; only the signed-in user's own sessions can be named. Answers `{ "revoked": n }`; ending
 * the current session also clears its cookie.
 */
export function revokeSessionHandler(rt: Runtime) {
  return async function revokeSession(c: Context): Promise<Response> {
    c.header('Cache-Control', 'no-store')
    try {
      const violation = csrfViolation(c, rt.config)
      if (violation) return jsonError(c, 403, 'csrf_failed', violation)
      const session = await loadSession(c, rt)
      if (!session) return jsonError(c, 401, 'unauthorized')
      const request = await readRequest(c)
      if (!request) {
        return jsonError(c, 400, 'invalid_request', 'send JSON { "id": "…" } or { "others": true }')
      }
      const sub = session.record.claims.sub
      const current = (await listSessions(rt, sub, session.key)).find((s) => s.info.current)
      const revoked =
        'id' in request
          ? await revokeDevices(rt, { sub, id: request.id })
          : await revokeDevices(rt, { sub, except: current?.info.id ?? '' })
      if ('id' in request && request.id === current?.info.id) {
        clearSessionCookie(c, rt.config.cookie)
      }
      return c.json({ revoked })
    } catch (e) {
      rt.report(asBezzieError(e))
      return errorResponse(c, e)
    }
  }
}

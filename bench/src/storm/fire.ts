import { setTimeout as sleep } from 'node:timers/promises'
import type { AppLike } from '../lib/app-like.ts'
import { APP_ORIGIN } from '../lib/idp.ts'

/** What a burst of concurrent requests got back. */
export interface Burst {
  statuses: Record<string, number>
  /** Responses that cleared the session cookie (an empty or expired `Set-Cookie` for it). */
  loggedOut: number
  startedAt: number
  endedAt: number
}

/**
 * Sends `n` concurrent authenticated `GET /api/user` to `app`, all at once at epoch-ms `at` (so
 * bursts from several isolates start together), and tallies the answers.
 */
export async function fire(
  app: AppLike,
  cookie: string,
  n: number,
  at = Date.now(),
  origin = APP_ORIGIN,
): Promise<Burst> {
  const wait = at - Date.now()
  if (wait > 0) await sleep(wait)
  const sessionCookie = cookie.split('=', 1)[0] ?? ''
  const startedAt = Date.now()
  const responses = await Promise.all(
    Array.from({ length: n }, async () => {
      const res = await app.request(`${origin}/api/user`, { headers: { cookie } })
      await res.arrayBuffer()
      return res
    }),
  )
  const burst: Burst = { statuses: {}, loggedOut: 0, startedAt, endedAt: Date.now() }
  for (const res of responses) {
    burst.statuses[res.status] = (burst.statuses[res.status] ?? 0) + 1
    const cleared = res.headers
      .getSetCookie()
      .some(
        (c) =>
          c.startsWith(`${sessionCookie}=;`) ||
          (c.startsWith(`${sessionCookie}=`) && /max-age=0/i.test(c)),
      )
    if (cleared) burst.loggedOut++
  }
  return burst
}

export function mergeBursts(bursts: readonly Burst[]): Burst {
  const out: Burst = { statuses: {}, loggedOut: 0, startedAt: Number.POSITIVE_INFINITY, endedAt: 0 }
  for (const b of bursts) {
    for (const [k, v] of Object.entries(b.statuses)) out.statuses[k] = (out.statuses[k] ?? 0) + v
    out.loggedOut += b.loggedOut
    out.startedAt = Math.min(out.startedAt, b.startedAt)
    out.endedAt = Math.max(out.endedAt, b.endedAt)
  }
  return out
}

import type { Context } from 'hono'
import { epochSeconds } from '../clock.ts'
import type { ResolvedConfig } from '../config.ts'
import { readSessionCookie } from '../cookies.ts'
import { b64u, utf8 } from '../session/encoding.ts'
import { isWellFormedId } from '../session/id.ts'
import { expiresAt, type SessionRecord } from '../session/record.ts'
import type { SessionStore } from '../session/store.ts'

/** One signed-in device of a user, as `auth.sessions.list()` and `GET {basePath}/sessions` show it. */
export interface SessionInfo {
  /**
   * An opaque handle of the session, for `revoke({ sub, id })`: derived from the store key, never
   * the cookie value, and useless without being signed in as the user it belongs to.
   */
  id: string
  /** When the user signed in on this device (epoch seconds). */
  createdAt: number
  /** When this device was last seen, to within `touchIntervalSeconds` (epoch seconds). */
  lastSeenAt: number
  /** When the session ends unless used again (epoch seconds). */
  expiresAt: number
  /** A coarse label from the User-Agent at sign-in, e.g. "Firefox on Windows". */
  device: string
  /** Country at sign-in (ISO 3166-1 alpha-2) where the runtime tells it (Cloudflare), else `null`. */
  country: string | null
  /** True for the session of the request that asked (with `context`). */
  current: boolean
}

/** The opaque handle of the session stored under `key`. */
export async function sessionHandle(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', utf8(`bezzie session handle\n${key}`))
  return b64u(new Uint8Array(digest)).slice(0, 22)
}

/** The store key of the session of the request `c`, if it carries a well-formed cookie. */
export async function currentSessionKey(
  rt: { config: Pick<ResolvedConfig, 'cookie'>; store: Pick<SessionStore, 'keyOf'> },
  c: Context,
): Promise<string | undefined> {
  const id = readSessionCookie(c, rt.config.cookie)
  return isWellFormedId(id) ? rt.store.keyOf(id) : undefined
}

function info(
  config: Pick<ResolvedConfig, 'now' | 'session'>,
  record: SessionRecord,
  id: string,
  current: boolean,
): SessionInfo {
  // The idle expiry slides to (last use + sessionTtlSeconds) whenever it is written back.
  const lastSeenAt = Math.min(
    epochSeconds(config.now),
    Math.max(record.createdAt, record.idleExpiresAt - config.session.idleTtlSeconds),
  )
  return {
    id,
    createdAt: record.createdAt,
    lastSeenAt,
    expiresAt: expiresAt(record),
    device: record.device?.label ?? 'Unknown device',
    country: record.device?.country ?? null,
    current,
  }
}

/** The live sessions of `sub` (through the store's index), most recently seen first. */
export async function listSessions(
  rt: {
    config: Pick<ResolvedConfig, 'now' | 'session'>
    store: Pick<SessionStore, 'sessionsOf' | 'readLatest'>
  },
  sub: string,
  currentKey: string | undefined,
): Promise<{ info: SessionInfo; key: string; record: SessionRecord }[]> {
  const keys = await rt.store.sessionsOf({ sub })
  const found: { info: SessionInfo; key: string; record: SessionRecord }[] = []
  for (const key of keys) {
    const stored = await rt.store.readLatest(key)
    // The index may name a session that expired, or (after a sub change) another user's.
    if (!stored || stored.record.claims.sub !== sub) continue
    const handle = await sessionHandle(key)
    found.push({
      info: info(rt.config, stored.record, handle, key === currentKey),
      key,
      record: stored.record,
    })
  }
  return found.sort(
    (a, b) => b.info.lastSeenAt - a.info.lastSeenAt || b.info.createdAt - a.info.createdAt,
  )
}

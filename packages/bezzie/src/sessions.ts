import type { Context } from 'hono'
import { revokeDevices } from './devices/revoke-devices.ts'
import { currentSessionKey, listSessions, type SessionInfo } from './devices/sessions-list.ts'
import { StoreError } from './errors.ts'
import { getOidc, type Oidc } from './oidc/client.ts'
import { revokeRefreshToken } from './oidc/revoke.ts'
import { asBezzieError } from './respond.ts'
import type { Runtime } from './runtime.ts'
import type { SessionStore } from './session/store.ts'
import type { BezzieUser, SessionTokens } from './types.ts'

/** Input of {@link SessionsApi.create}. */
export interface CreateSessionInput {
  user: BezzieUser
  /** ID token claims to keep (`sub`, `sid`); default `{ sub: user.sub }`. */
  claims?: { sub?: string; sid?: string; [claim: string]: unknown }
  tokens: SessionTokens
}

/** A created session: its id and a ready `Cookie` header value (`name=value`). */
export interface CreatedSession {
  id: string
  cookie: string
}

/**
 * Selects the sessions {@link SessionsApi.revoke} deletes: every session of an IdP session
 * (`sid`) or a user (`sub`); one of a user's sessions (`{ sub, id }`, `id` from
 * {@link SessionsApi.list}); or all of them but one (`{ sub, except }`, "sign out other devices").
 */
export type RevokeSessionsInput =
  | { sid: string }
  | { sub: string }
  | { sub: string; id: string }
  | { sub: string; except: string }

/** Input of {@link SessionsApi.list}. */
export interface ListSessionsInput {
  /** Whose sessions. */
  sub: string
  /** The current request, so its session is marked `current`. Default: none marked. */
  context?: Context
}

/** Server-side session management, `auth.sessions`. */
export interface SessionsApi {
  /**
   * Creates a session directly (no IdP round trip), e.g. to seed tests or after a custom
   * login. Resolves the id and a `Cookie` header value for it.
   */
  create(input: CreateSessionInput): Promise<CreatedSession>
  /**
   * Deletes every session of an IdP session (`sid`) or a user (`sub`): "log out everywhere".
   * Like logout, it first revokes each session's refresh token at the IdP (RFC 7009); a failed
   * revocation is reported through `onError` (`revocation_failed`) and the session is deleted
   * anyway.
   * Needs an adapter with an `index`; throws {@link StoreError} `session_index_unsupported`
   * otherwise, and a `TypeError` unless exactly one non-empty `sid` or `sub` is given. Resolves
   * the number of sessions deleted.
   */
  revoke(input: RevokeSessionsInput): Promise<number>
  /**
   * "Your devices": the live sessions of `sub`, most recently seen first, each with when it was
   * created and last seen (to within `touchIntervalSeconds`), a coarse device label from the
   * sign-in's User-Agent, its country where the runtime gives one (Cloudflare's
   * `request.cf.country`), and whether it is the session of `context`. Needs an adapter with an
   * `index` ({@link StoreError} `session_index_unsupported` otherwise).
   */
  list(input: ListSessionsInput): Promise<SessionInfo[]>
}

export function sessionsApi(rt: Runtime): SessionsApi {
  return {
    async create({ user, claims, tokens }) {
      if (!user || typeof user.sub !== 'string') {
        throw new TypeError('bezzie: sessions.create({ user }) needs user.sub')
      }
      if (
        !tokens ||
        typeof tokens.accessToken !== 'string' ||
        typeof tokens.expiresAt !== 'number'
      ) {
        throw new TypeError('bezzie: sessions.create({ tokens }) needs accessToken and expiresAt')
      }
      const sid = typeof claims?.sid === 'string' ? claims.sid : undefined
      const sub = typeof claims?.sub === 'string' ? claims.sub : user.sub
      const record = rt.store.newRecord({ user, claims: sid ? { sub, sid } : { sub }, tokens })
      const { id } = await rt.store.create(record)
      return { id, cookie: `${rt.config.cookie.fullName}=${id}` }
    },
    revoke: (input) => {
      const one = input as { sub?: unknown; id?: unknown; except?: unknown }
      if (one && (one.id !== undefined || one.except !== undefined)) {
        const valid = (v: unknown): v is string => typeof v === 'string' && v !== ''
        if (!valid(one.sub) || valid(one.id) === valid(one.except)) {
          throw new TypeError('bezzie: sessions.revoke() needs { sub, id } or { sub, except }')
        }
        requireIndex(rt.store)
        return revokeDevices(
          rt,
          valid(one.id)
            ? { sub: one.sub, id: one.id }
            : { sub: one.sub, except: one.except as string },
        )
      }
      return deleteSessions(rt, input as { sid: string } | { sub: string }, {
        revokeRefreshTokens: true,
      })
    },
    async list({ sub, context } = {} as ListSessionsInput) {
      if (typeof sub !== 'string' || sub === '') {
        throw new TypeError('bezzie: sessions.list({ sub }) needs a non-empty sub')
      }
      requireIndex(rt.store)
      const current = context ? await currentSessionKey(rt, context) : undefined
      return (await listSessions(rt, sub, current)).map((s) => s.info)
    },
  }
}

/**
 * Deletes every session of an IdP session (`sid`) or a user (`sub`) through the adapter's index.
 * With `revokeRefreshTokens`, each refresh token is revoked at the IdP first (best effort); the
 * back-channel logout route passes `false`: the IdP ended that session itself and is not called
 * back while it waits for the answer.
 */
function requireIndex(store: Pick<SessionStore, 'hasIndex'>): void {
  if (!store.hasIndex) {
    throw new StoreError(
      'session_index_unsupported',
      "listing or revoking a user's sessions needs an adapter with an index (Durable Objects, KV with a coordinator, Redis)",
    )
  }
}

export async function deleteSessions(
  rt: Runtime,
  input: RevokeSessionsInput,
  options: { revokeRefreshTokens: boolean },
): Promise<number> {
  if (!rt.store.hasIndex) {
    throw new StoreError(
      'session_index_unsupported',
      'sessions.revoke() needs an adapter with an index (Durable Objects, KV with a coordinator, Redis)',
    )
  }
  const sid = (input as { sid?: unknown } | null)?.sid
  const sub = (input as { sub?: unknown } | null)?.sub
  const valid = (v: unknown): v is string => typeof v === 'string' && v !== ''
  if (valid(sid) === valid(sub)) {
    // Guessing would be worse than failing: an undefined sub must not match anything.
    throw new TypeError('bezzie: sessions.revoke() needs exactly one of { sid } or { sub }')
  }
  const selector = valid(sid) ? { sid } : { sub: sub as string }
  const keys = await rt.store.sessionsOf(selector)
  let oidc: Promise<Oidc | undefined> | undefined
  for (const key of keys) {
    const record = (await rt.store.readLatest(key))?.record
    const refreshToken = record?.tokens.refreshToken
    if (refreshToken && options.revokeRefreshTokens) {
      // Discovery at most once, and only when there is something to revoke; an IdP outage
      // is reported but does not keep the sessions alive ("log out everywhere").
      oidc ??= getOidc(rt.config).catch((e: unknown) => {
        rt.report(asBezzieError(e))
        return undefined
      })
      const resolved = await oidc
      if (resolved) await revokeRefreshToken(rt, resolved, refreshToken)
    }
    await rt.store.delete(key, record)
    // An expired session's record is gone, but its index entry may linger.
    if (!record) await rt.store.unindex(selector, key)
  }
  return keys.length
}

import { StoreError } from './errors.ts'
import type { Runtime } from './runtime.ts'
import { sidIndexKey, subIndexKey } from './session/store.ts'
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

/** Selects the sessions {@link SessionsApi.revoke} deletes. */
export type RevokeSessionsInput = { sid: string } | { sub: string }

/** Server-side session management, `auth.sessions`. */
export interface SessionsApi {
  /**
   * Creates a session directly (no IdP round trip), e.g. to seed tests or after a custom
   * login. Resolves the id and a `Cookie` header value for it.
   */
  create(input: CreateSessionInput): Promise<CreatedSession>
  /**
   * Deletes every session of an IdP session (`sid`) or a user (`sub`): "log out everywhere".
   * Needs an adapter with an `index`; throws {@link StoreError} `session_index_unsupported`
   * otherwise, and a `TypeError` unless exactly one non-empty `sid` or `sub` is given. Resolves
   * the number of sessions deleted.
   */
  revoke(input: RevokeSessionsInput): Promise<number>
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
    async revoke(input) {
      const index = rt.store.adapter.index
      if (!index) {
        throw new StoreError(
          'session_index_unsupported',
          'sessions.revoke() needs an adapter with an index (Redis or Durable Objects)',
        )
      }
      const sid = (input as { sid?: unknown } | null)?.sid
      const sub = (input as { sub?: unknown } | null)?.sub
      const valid = (v: unknown): v is string => typeof v === 'string' && v !== ''
      if (valid(sid) === valid(sub)) {
        // Guessing would be worse than failing: an undefined sub must not match anything.
        throw new TypeError('bezzie: sessions.revoke() needs exactly one of { sid } or { sub }')
      }
      const indexKey = valid(sid) ? sidIndexKey(sid) : subIndexKey(sub as string)
      const keys = await index.members(indexKey)
      for (const key of keys) {
        await rt.store.delete(key, await rt.store.read(key))
        await index.remove(indexKey, key)
      }
      return keys.length
    },
  }
}

import type { LoadedSession } from '../session/load.ts'
import type { SessionRecord } from '../session/record.ts'
import type { SessionStore } from '../session/store.ts'
import type { SessionTokens } from '../types.ts'
import { loggedOut, ok, type RefreshOutcome } from './outcome.ts'

/**
 * The token sets of this isolate that are not in the store yet. A 200 from the IdP is the truth:
 * when writing its tokens fails, they are kept here and the next request of the session stores
 * them before refreshing again (the refresh token they replaced may already be spent).
 */
const unsaved = new Map<
  string,
  { basedOn: string; tokens: SessionTokens; marks: TokenMarks; at: number }
>()

/**
 * What a record says of its access token's verification: verified when written (the mark),
 * to be verified before use, or neither (nothing to verify locally).
 */
export type TokenMarks = Pick<SessionRecord, 'accessTokenUnverified' | 'accessTokenVerified'>

/** `record` with new `tokens` and what is known of their verification (never the old token's). */
export function withTokens(
  record: SessionRecord,
  tokens: SessionTokens,
  marks: TokenMarks,
): SessionRecord {
  const { accessTokenUnverified: _unverified, accessTokenVerified: _verified, ...rest } = record
  return { ...rest, tokens, ...marks }
}
/** How long (in milliseconds) an unsaved token set is kept for a retried write. */
const UNSAVED_TTL_MS = 10 * 60_000
const MAX_UNSAVED = 1000

/** Stores a token set an earlier refresh of this isolate could not write; `null` if none. */
export async function storeUnsaved(
  store: Pick<SessionStore, 'update'>,
  session: LoadedSession,
): Promise<RefreshOutcome | null> {
  const entry = unsaved.get(session.key)
  if (!entry) return null
  if (
    Date.now() - entry.at > UNSAVED_TTL_MS ||
    session.record.tokens.refreshToken !== entry.basedOn
  ) {
    // Too old, or the store already moved on past the refresh token it was issued for.
    unsaved.delete(session.key)
    return null
  }
  const written = await persist(store, session, entry.basedOn, entry.tokens, entry.marks)
  unsaved.delete(session.key)
  return written ? ok(written) : loggedOut
}

/**
 * Writes `tokens` onto the newest record, unless that record no longer holds the refresh token
 * they were issued for (another refresh stored newer ones: those win). `null` when the session
 * was deleted meanwhile.
 */
export function persist(
  store: Pick<SessionStore, 'update'>,
  session: LoadedSession,
  basedOn: string,
  tokens: SessionTokens,
  marks: TokenMarks,
): Promise<LoadedSession | null> {
  return store.update(session, (current) =>
    current.tokens.refreshToken === basedOn ? withTokens(current, tokens, marks) : null,
  )
}

export function remember(
  key: string,
  basedOn: string,
  tokens: SessionTokens,
  marks: TokenMarks,
): void {
  unsaved.delete(key)
  if (unsaved.size >= MAX_UNSAVED) {
    const oldest = unsaved.keys().next().value
    if (oldest !== undefined) unsaved.delete(oldest)
  }
  unsaved.set(key, { basedOn, tokens, marks, at: Date.now() })
}

/** Whether this isolate holds a token set of the session under `key` that the store lacks. */
export function hasUnsaved(key: string): boolean {
  return unsaved.has(key)
}

/** Test seam: forgets every unsaved token set. */
export function clearUnsaved(): void {
  unsaved.clear()
}

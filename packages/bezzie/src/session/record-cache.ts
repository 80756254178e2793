import { sessionKey } from './keys.ts'
import { Recent } from './recent.ts'
import type { SessionRecord } from './record.ts'

/**
 * How many recently read sessions one isolate remembers (decoded records and store keys). A
 * record is about 2 KB of stored text plus its decoded form, so the cache stays around a few
 * megabytes at most.
 */
export const RECORD_CACHE_SIZE = 1000

/** What this isolate remembers of a session it read recently, by the session id. */
export interface KnownSession {
  /** The store key (a hash of the id): a repeat request does not hash again. */
  key: string
  /** The exact stored value the record was decoded from. */
  raw?: string
  /** The secrets it was decoded with (an encrypted value only opens with the right ones). */
  secrets?: readonly string[]
  record?: SessionRecord
}

// Module (isolate) level: `createBezzie` may run per request, and the cache must outlive it.
// Keyed by session id; only sessions found in the store enter it, so requests with made-up ids
// cannot push out real ones.
const known = new Recent<string, KnownSession>(RECORD_CACHE_SIZE)

const sameSecrets = (a: readonly string[] | undefined, b: readonly string[]) =>
  a === b || (a?.length === b.length && a.every((s, i) => s === b[i]))

/** Freezes `value` and every object inside it (claims mapped by `mapClaims` may nest). */
function deepFreeze<T>(value: T): T {
  const target = value as Record<string, unknown>
  for (const k in target) {
    const inner = target[k]
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner)
  }
  return Object.freeze(value)
}

/** What this isolate remembers of the session whose cookie holds `id`, if anything. */
export const knownSession = (id: string): KnownSession | undefined => known.get(id)

/** The store key of the session whose cookie holds `id`: remembered, else hashed. */
export const keyOfSession = (id: string): string => known.get(id)?.key ?? sessionKey(id)

/**
 * The record decoded earlier from exactly `raw` with `secrets`, if this isolate still has it.
 * The store is still read on every request (so a deleted or replaced session is seen at once);
 * only the decryption and parsing of an unchanged value are skipped.
 */
export function cachedRecord(
  session: KnownSession | undefined,
  raw: string,
  secrets: readonly string[],
): SessionRecord | undefined {
  return session && session.raw === raw && sameSecrets(session.secrets, secrets)
    ? session.record
    : undefined
}

/**
 * Remembers `record`, decoded from `raw` stored under `key` for the session id `id`. The first
 * time this isolate reads a session, only its key is noted and `record` is returned as it is,
 * shared with nobody: a stream of sessions seen once each (more of them than the cache holds)
 * then costs no freezing or caching of records that would be pushed out before any use. From the
 * second read on, the record is cached frozen (deeply), because every later request of the
 * session shares it. The sessions read longest ago go first once the cache is full.
 */
export function rememberRecord(
  id: string,
  key: string,
  session: KnownSession | undefined,
  raw: string,
  secrets: readonly string[],
  record: SessionRecord,
): SessionRecord {
  if (!session) {
    known.set(id, { key })
    return record
  }
  const frozen = deepFreeze(record)
  session.raw = raw
  session.secrets = secrets
  session.record = frozen
  return frozen
}

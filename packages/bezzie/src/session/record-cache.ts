import type { SessionRecord } from './record.ts'

/**
 * How many decoded session records one isolate keeps. A record is about 2 KB of stored text plus
 * its decoded form, so the cache stays around a few megabytes at most.
 */
export const RECORD_CACHE_SIZE = 1000

interface Entry {
  /** The exact stored value the record was decoded from. */
  raw: string
  /** The secrets it was decoded with (an encrypted value only opens with the right ones). */
  secrets: readonly string[]
  record: SessionRecord
}

// Module (isolate) level: `createBezzie` may run per request, and the cache must outlive it.
const entries = new Map<string, Entry>()

const sameSecrets = (a: readonly string[], b: readonly string[]) =>
  a === b || (a.length === b.length && a.every((s, i) => s === b[i]))

/** Freezes `value` and every object inside it (claims mapped by `mapClaims` may nest). */
function deepFreeze<T>(value: T): T {
  const target = value as Record<string, unknown>
  for (const k in target) {
    const inner = target[k]
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner)
  }
  return Object.freeze(value)
}

/**
 * The record decoded earlier from exactly `raw` stored under `key` with `secrets`, if this isolate
 * still has it. The store is still read on every request (so a deleted or replaced session is
 * seen at once); only the decryption and parsing of an unchanged value are skipped.
 */
export function cachedRecord(
  key: string,
  raw: string,
  secrets: readonly string[],
): SessionRecord | undefined {
  const hit = entries.get(key)
  return hit && hit.raw === raw && sameSecrets(hit.secrets, secrets) ? hit.record : undefined
}

/**
 * Remembers `record` as the decoding of `raw` under `key`, frozen (deeply) because every later
 * request of the session shares it. Oldest entries go first once the cache is full.
 */
export function rememberRecord(
  key: string,
  raw: string,
  secrets: readonly string[],
  record: SessionRecord,
): SessionRecord {
  const frozen = deepFreeze(record)
  entries.delete(key)
  if (entries.size >= RECORD_CACHE_SIZE) {
    const oldest = entries.keys().next()
    if (!oldest.done) entries.delete(oldest.value)
  }
  entries.set(key, { raw, secrets, record: frozen })
  return frozen
}

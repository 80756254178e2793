import type { GuardedAdapter } from './guarded-adapter.ts'
import { type IndexKind, indexKeys } from './keys.ts'
import type { SessionRecord } from './record.ts'

/** Picks the sessions of a user (`sub`) or of an IdP session (`sid`). */
export type SessionSelector = { sid: string } | { sub: string }

type Index = NonNullable<GuardedAdapter['index']>

/**
 * The index entries of a session: by user (`sub`) and by IdP session (`sid`), for back-channel
 * logout and `sessions.revoke`. Index keys are hashes of the value (`keys.ts`), under every
 * configured secret so that a rotation still finds older entries.
 */
function entries(record: SessionRecord): [IndexKind, string][] {
  const list: [IndexKind, string][] = [['sub', record.claims.sub]]
  if (record.claims.sid) list.push(['sid', record.claims.sid])
  return list
}

const selected = (selector: SessionSelector): [IndexKind, string] =>
  'sid' in selector ? ['sid', selector.sid] : ['sub', selector.sub]

/** Adds the session under `key` to its index entries (under the current secret). */
export async function indexRecord(
  index: Index,
  secrets: string[],
  key: string,
  record: SessionRecord,
  ttlSeconds: number,
): Promise<void> {
  for (const [kind, value] of entries(record)) {
    const [indexKey] = await indexKeys(secrets, kind, value)
    if (indexKey) await index.add(indexKey, key, { ttlSeconds })
  }
}

/** Removes the session under `key` from every index entry of `record`. */
export async function unindexRecord(
  index: Index,
  secrets: string[],
  key: string,
  record: SessionRecord,
): Promise<void> {
  for (const [kind, value] of entries(record)) {
    for (const indexKey of await indexKeys(secrets, kind, value)) await index.remove(indexKey, key)
  }
}

/** The store keys of every session of `selector`. */
export async function membersOf(
  index: Index,
  secrets: string[],
  selector: SessionSelector,
): Promise<string[]> {
  const [kind, value] = selected(selector)
  const keys = new Set<string>()
  for (const indexKey of await indexKeys(secrets, kind, value)) {
    for (const member of await index.members(indexKey)) keys.add(member)
  }
  return [...keys]
}

/** Removes the session under `key` from the index of `selector`. */
export async function removeMember(
  index: Index,
  secrets: string[],
  selector: SessionSelector,
  key: string,
): Promise<void> {
  const [kind, value] = selected(selector)
  for (const indexKey of await indexKeys(secrets, kind, value)) await index.remove(indexKey, key)
}

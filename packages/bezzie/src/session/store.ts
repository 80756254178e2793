import { StoreError } from '../errors.ts'
import { decodeRecord, encodeRecord } from './codec.ts'
import type { GuardedAdapter, GuardedLock } from './guarded-adapter.ts'
import { randomId } from './id.ts'
import {
  indexRecord,
  membersOf,
  removeMember,
  type SessionSelector,
  unindexRecord,
} from './index-entries.ts'
import { lockKey, sessionKey } from './keys.ts'
import { expiresAt, nowSeconds, type SessionRecord } from './record.ts'
import { type KnownSession, keyOfSession, knownSession } from './record-cache.ts'
import { MIN_TTL, SideRecords } from './side-records.ts'

/** Compare-and-set attempts of one update before giving up on a session that keeps changing. */
const MAX_UPDATE_ATTEMPTS = 5

/** A session as read from the store. */
export interface StoredSession {
  key: string
  record: SessionRecord
  /** The stored value this record was decoded from: what a compare-and-set write compares to. */
  raw?: string
}

export type { ResourceToken } from './side-records.ts'
export type { SessionSelector }

/**
 * The storage module: the one place that talks to the session store. It owns every key format
 * (see `keys.ts`), serialization, optional encryption, TTLs and record versions, and calls the
 * adapter only through a wrapper that bounds each call by `timeouts.storeMs` and turns every
 * failure into `StoreError`. Adapters only ever see opaque keys and values.
 *
 * The records beside sessions (login transactions, one-use markers, resource tokens) are
 * {@link SideRecords}, which this class extends: one adapter, one wrapper.
 */
export class SessionStore extends SideRecords {
  /** Whether the store has an index (back-channel logout, `sessions.revoke`). */
  get hasIndex(): boolean {
    return this.adapter.index !== undefined
  }

  /** Whether the store offers a lock across isolates (single-flight refresh everywhere). */
  get hasLock(): boolean {
    return this.adapter.lock !== undefined
  }

  #ttl(record: SessionRecord): number {
    return Math.max(MIN_TTL, expiresAt(record) - nowSeconds())
  }

  /** The store key of the session whose cookie holds `id`. */
  keyOf(id: string): string {
    return keyOfSession(id)
  }

  /**
   * Reads the session stored under `key`; `null` when missing, unreadable or expired. Exactly one
   * adapter read every time, so a session deleted elsewhere is gone at once.
   */
  read(key: string): Promise<StoredSession | null> {
    return this.#read(this.adapter.get, key)
  }

  /**
   * Reads the session under `key` as the store holds it right now, never from a lagging cache:
   * through the adapter's `getLatest` (KV with a coordinator), otherwise the same as {@link read}.
   * For every read a decision is based on: under the refresh lock, after a refused write, before
   * ending a session, for the session list and revocation.
   */
  readLatest(key: string): Promise<StoredSession | null> {
    return this.#read(this.adapter.getLatest ?? this.adapter.get, key)
  }

  /**
   * Reads the session whose cookie holds `id`, like {@link read}, through the isolate's cache of
   * recently read sessions (the store key and the decoded record of an unchanged value).
   */
  readSession(id: string): Promise<StoredSession | null> {
    const known = knownSession(id)
    return this.#read(this.adapter.get, known?.key ?? sessionKey(id), id, known)
  }

  #read(
    get: GuardedAdapter['get'],
    key: string,
    id?: string,
    known?: KnownSession,
  ): Promise<StoredSession | null> {
    const decode = (raw: string | null) => {
      if (raw === null) return null
      const live = (record: SessionRecord | null): StoredSession | null =>
        record && expiresAt(record) > nowSeconds() ? { key, record, raw } : null
      const decoded = decodeRecord(this.config.secrets, key, raw, id, known)
      return decoded instanceof Promise ? decoded.then(live) : live(decoded)
    }
    // Decoded inside the bounded read's own settlement (one promise fewer; no measurable speed-up).
    return get(key, decode)
  }

  /** Stores a new session under a fresh id; returns the id (for the cookie) and key. */
  async create(fields: SessionRecord): Promise<{ id: string; key: string }> {
    const id = randomId()
    const key = sessionKey(id)
    const record: SessionRecord = { ...fields, rev: 1 }
    await this.adapter.set(key, await encodeRecord(this.config.secrets, key, record), {
      ttlSeconds: this.#ttl(record),
    })
    const index = this.adapter.index
    if (index) {
      const ttlSeconds = Math.max(MIN_TTL, record.absoluteExpiresAt - nowSeconds())
      await indexRecord(index, this.config.secrets, key, record, ttlSeconds)
    }
    return { id, key }
  }

  /**
   * Applies `change` to the newest stored record and writes the result, so that a write never
   * puts back anything older than what the store holds: with `compareAndSet`, atomically (a
   * conflicting write makes this re-read and apply `change` again); without it (Cloudflare KV),
   * by re-reading right before writing, which narrows the window to the store's own latency but
   * cannot close it.
   *
   * `change` returns `null` when the newest record needs no write (the result is then that
   * record). Resolves `null` when the session is gone: a write never resurrects a session deleted
   * by logout meanwhile (atomically with `replace` or `compareAndSet`).
   */
  async update(
    session: StoredSession,
    change: (current: SessionRecord) => SessionRecord | null,
  ): Promise<StoredSession | null> {
    const { key } = session
    const adapter = this.adapter
    let current: StoredSession | null = session
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      if (!current) return null
      if (!adapter.compareAndSet || current.raw === undefined) {
        // No compare-and-set: base the write on the freshest copy the store will give.
        current = await this.readLatest(key)
        if (!current) return null
      }
      const changed = change(current.record)
      if (!changed) return current
      const next: SessionRecord = { ...changed, rev: (current.record.rev ?? 0) + 1 }
      const value = await encodeRecord(this.config.secrets, key, next)
      const options = { ttlSeconds: this.#ttl(next) }
      let written: boolean
      if (adapter.compareAndSet && current.raw !== undefined) {
        written = await adapter.compareAndSet(key, current.raw, value, options)
      } else if (adapter.replace) {
        written = await adapter.replace(key, value, options)
        if (!written) return null
      } else {
        await adapter.set(key, value, options)
        written = true
      }
      if (written) return { key, record: next, raw: value }
      current = await this.readLatest(key)
    }
    throw new StoreError(
      'store_failed',
      `session record kept changing; gave up after ${MAX_UPDATE_ATTEMPTS} compare-and-set attempts`,
    )
  }

  /** Deletes a session and its index entries. */
  async delete(key: string, record?: SessionRecord | null): Promise<void> {
    await this.adapter.delete(key)
    const index = this.adapter.index
    if (index && record) await unindexRecord(index, this.config.secrets, key, record)
  }

  /**
   * The store keys of every session of `selector`, through the index. Throws
   * `session_index_unsupported` when the adapter has none.
   */
  async sessionsOf(selector: SessionSelector): Promise<string[]> {
    const index = this.adapter.index
    if (!index) {
      throw new StoreError(
        'session_index_unsupported',
        'sessions.revoke() needs an adapter with an index (Durable Objects, KV with a coordinator, Redis)',
      )
    }
    return membersOf(index, this.config.secrets, selector)
  }

  /** Removes the session under `key` from the index of `selector`. */
  async unindex(selector: SessionSelector, key: string): Promise<void> {
    const index = this.adapter.index
    if (!index) return
    await removeMember(index, this.config.secrets, selector, key)
  }

  /**
   * Takes the refresh lock of the session under `key` for `timeouts.lockTtlMs`: a handle, `null`
   * when another holder has it, or `undefined` when the store has no lock.
   */
  async lockRefresh(key: string): Promise<GuardedLock | null | undefined> {
    const lock = this.adapter.lock
    if (!lock) return undefined
    return lock(lockKey(key), this.config.timeouts.lockTtlMs)
  }

  /** Builds a new record for a login at `now`. */
  newRecord(fields: Pick<SessionRecord, 'user' | 'claims' | 'tokens'>): SessionRecord {
    const now = nowSeconds()
    return {
      v: 1,
      ...fields,
      createdAt: now,
      idleExpiresAt: now + this.config.session.idleTtlSeconds,
      absoluteExpiresAt: now + this.config.session.absoluteTtlSeconds,
    }
  }
}

import type { ResolvedConfig } from '../config.ts'
import { StoreError } from '../errors.ts'
import { open, seal } from './crypto.ts'
import { type GuardedAdapter, type GuardedLock, guardAdapter } from './guarded-adapter.ts'
import { randomId } from './id.ts'
import {
  type IndexKind,
  indexKeys,
  jtiKey,
  lockKey,
  resourceTokenKey,
  sessionKey,
  transactionKey,
  usedTransactionKey,
} from './keys.ts'
import { openSync } from './open-sync.ts'
import {
  expiresAt,
  nowSeconds,
  parseRecord,
  type SessionRecord,
  serializeRecord,
} from './record.ts'
import { cachedRecord, rememberRecord } from './record-cache.ts'

/** Store TTL floor: Cloudflare KV rejects `expirationTtl` below 60 seconds. */
const MIN_TTL = 60
/** Compare-and-set attempts of one update before giving up on a session that keeps changing. */
const MAX_UPDATE_ATTEMPTS = 5

/** A session as read from the store. */
export interface StoredSession {
  key: string
  record: SessionRecord
  /** The stored value this record was decoded from: what a compare-and-set write compares to. */
  raw?: string
}

/** A session's access token for another API. Times are epoch seconds. */
export interface ResourceToken {
  accessToken: string
  expiresAt: number
}

/** Picks the sessions of a user (`sub`) or of an IdP session (`sid`). */
export type SessionSelector = { sid: string } | { sub: string }

/**
 * The storage module: the one place that talks to the session store. It owns every key format
 * (see `keys.ts`), serialization, optional encryption, TTLs and record versions, and calls the
 * adapter only through a wrapper that bounds each call by `timeouts.storeMs` and turns every
 * failure into `StoreError`. Adapters only ever see opaque keys and values.
 */
export class SessionStore {
  readonly #config: ResolvedConfig
  readonly #adapter: GuardedAdapter

  constructor(config: ResolvedConfig, report: (error: StoreError) => void = () => {}) {
    this.#config = config
    this.#adapter = guardAdapter(config.adapter, config.timeouts.storeMs, report)
  }

  /** Whether the store has an index (back-channel logout, `sessions.revoke`). */
  get hasIndex(): boolean {
    return this.#adapter.index !== undefined
  }

  /** Whether the store offers a lock across isolates (single-flight refresh everywhere). */
  get hasLock(): boolean {
    return this.#adapter.lock !== undefined
  }

  #ttl(record: SessionRecord): number {
    return Math.max(MIN_TTL, expiresAt(record) - nowSeconds())
  }

  async #encode(key: string, record: SessionRecord): Promise<string> {
    const json = serializeRecord(record)
    const secrets = this.#config.secrets
    return secrets.length ? seal(secrets, 'session', json, key) : json
  }

  /**
   * The record in `raw`, from the isolate's decoded-record cache when this exact value was decoded
   * before under this key with the same secrets (synchronous then), else decrypted and parsed.
   */
  #decode(key: string, raw: string): SessionRecord | null | Promise<SessionRecord | null> {
    const secrets = this.#config.secrets
    const hit = cachedRecord(key, raw, secrets)
    if (hit) return hit
    const remember = (json: string | null) => {
      const record = json === null ? null : parseRecord(json)
      return record && rememberRecord(key, raw, secrets, record)
    }
    if (!secrets.length) return remember(raw)
    // On Node, decrypt on this thread instead of through Web Crypto's thread pool (open-sync.ts).
    const opened = openSync(secrets, 'session', raw, key)
    return opened === undefined
      ? open(secrets, 'session', raw, key).then(remember)
      : remember(opened)
  }

  /** The store key of the session whose cookie holds `id`. */
  keyOf(id: string): string {
    return sessionKey(id)
  }

  /**
   * Reads the session stored under `key`; `null` when missing, unreadable or expired. Exactly one
   * adapter read every time, so a session deleted elsewhere is gone at once.
   */
  read(key: string): Promise<StoredSession | null> {
    return this.#adapter.get(key).then((raw) => {
      if (raw === null) return null
      const live = (record: SessionRecord | null): StoredSession | null =>
        record && expiresAt(record) > nowSeconds() ? { key, record, raw } : null
      const decoded = this.#decode(key, raw)
      return decoded instanceof Promise ? decoded.then(live) : live(decoded)
    })
  }

  /** Stores a new session under a fresh id; returns the id (for the cookie) and key. */
  async create(fields: SessionRecord): Promise<{ id: string; key: string }> {
    const id = randomId()
    const key = sessionKey(id)
    const record: SessionRecord = { ...fields, rev: 1 }
    await this.#adapter.set(key, await this.#encode(key, record), { ttlSeconds: this.#ttl(record) })
    await this.#index(key, record)
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
    const adapter = this.#adapter
    let current: StoredSession | null = session
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      if (!current) return null
      if (!adapter.compareAndSet || current.raw === undefined) {
        // No compare-and-set: base the write on the freshest copy the store will give.
        current = await this.read(key)
        if (!current) return null
      }
      const changed = change(current.record)
      if (!changed) return current
      const next: SessionRecord = { ...changed, rev: (current.record.rev ?? 0) + 1 }
      const value = await this.#encode(key, next)
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
      current = await this.read(key)
    }
    throw new StoreError(
      'store_failed',
      `session record kept changing; gave up after ${MAX_UPDATE_ATTEMPTS} compare-and-set attempts`,
    )
  }

  /** Deletes a session and its index entries. */
  async delete(key: string, record?: SessionRecord | null): Promise<void> {
    await this.#adapter.delete(key)
    const index = this.#adapter.index
    if (!index || !record) return
    for (const [kind, value] of this.#indexed(record)) {
      for (const indexKey of await indexKeys(this.#config.secrets, kind, value)) {
        await index.remove(indexKey, key)
      }
    }
  }

  #indexed(record: SessionRecord): [IndexKind, string][] {
    const entries: [IndexKind, string][] = [['sub', record.claims.sub]]
    if (record.claims.sid) entries.push(['sid', record.claims.sid])
    return entries
  }

  async #index(key: string, record: SessionRecord): Promise<void> {
    const index = this.#adapter.index
    if (!index) return
    const options = { ttlSeconds: Math.max(MIN_TTL, record.absoluteExpiresAt - nowSeconds()) }
    for (const [kind, value] of this.#indexed(record)) {
      const [indexKey] = await indexKeys(this.#config.secrets, kind, value)
      if (indexKey) await index.add(indexKey, key, options)
    }
  }

  /**
   * The store keys of every session of `selector`, through the index. Throws
   * `session_index_unsupported` when the adapter has none.
   */
  async sessionsOf(selector: SessionSelector): Promise<string[]> {
    const index = this.#adapter.index
    if (!index) {
      throw new StoreError(
        'session_index_unsupported',
        'sessions.revoke() needs an adapter with an index (Redis or Durable Objects)',
      )
    }
    const [kind, value] = this.#selected(selector)
    const keys = new Set<string>()
    for (const indexKey of await indexKeys(this.#config.secrets, kind, value)) {
      for (const member of await index.members(indexKey)) keys.add(member)
    }
    return [...keys]
  }

  /** Removes the session under `key` from the index of `selector`. */
  async unindex(selector: SessionSelector, key: string): Promise<void> {
    const index = this.#adapter.index
    if (!index) return
    const [kind, value] = this.#selected(selector)
    for (const indexKey of await indexKeys(this.#config.secrets, kind, value)) {
      await index.remove(indexKey, key)
    }
  }

  #selected(selector: SessionSelector): [IndexKind, string] {
    return 'sid' in selector ? ['sid', selector.sid] : ['sub', selector.sub]
  }

  /**
   * Takes the refresh lock of the session under `key` for `timeouts.lockTtlMs`: a handle, `null`
   * when another holder has it, or `undefined` when the store has no lock.
   */
  async lockRefresh(key: string): Promise<GuardedLock | null | undefined> {
    const lock = this.#adapter.lock
    if (!lock) return undefined
    return lock(lockKey(key), this.#config.timeouts.lockTtlMs)
  }

  /**
   * The access token for another API (`resource`) kept beside the session under `key`, as stored
   * by {@link writeResourceToken}; `null` when missing or unreadable. Sealed like sessions when a
   * `secret` is configured.
   */
  async readResourceToken(key: string, resource: string): Promise<ResourceToken | null> {
    const tokenKey = await resourceTokenKey(key, resource)
    const raw = await this.#adapter.get(tokenKey)
    if (raw === null) return null
    const secrets = this.#config.secrets
    const json = secrets.length ? await open(secrets, 'session', raw, tokenKey) : raw
    if (json === null) return null
    try {
      const value = JSON.parse(json) as Partial<ResourceToken>
      if (typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'number') return null
      return { accessToken: value.accessToken, expiresAt: value.expiresAt }
    } catch {
      return null
    }
  }

  /** Keeps `token` for the session under `key` and `resource` until it expires. */
  async writeResourceToken(key: string, resource: string, token: ResourceToken): Promise<void> {
    const tokenKey = await resourceTokenKey(key, resource)
    const json = JSON.stringify(token)
    const secrets = this.#config.secrets
    const value = secrets.length ? await seal(secrets, 'session', json, tokenKey) : json
    const ttlSeconds = Math.max(MIN_TTL, token.expiresAt - nowSeconds())
    await this.#adapter.set(tokenKey, value, { ttlSeconds })
  }

  /** Keeps the login transaction `id` (its value opaque here) for `ttlSeconds`. */
  async saveTransaction(id: string, value: string, ttlSeconds: number): Promise<void> {
    await this.#adapter.set(await transactionKey(id), value, { ttlSeconds })
  }

  /** The login transaction `id`, or `null`. */
  async readTransaction(id: string): Promise<string | null> {
    return this.#adapter.get(await transactionKey(id))
  }

  /** Deletes the login transaction `id` (one use). */
  async deleteTransaction(id: string): Promise<void> {
    await this.#adapter.delete(await transactionKey(id))
  }

  /**
   * Marks the sealed login transaction of `state` used for `ttlSeconds` (raised to the store
   * minimum); `false` when it was marked before (a replayed cookie). Atomic with `setIfAbsent`.
   */
  async markTransactionUsed(state: string, ttlSeconds: number): Promise<boolean> {
    return this.#once(await usedTransactionKey(state), ttlSeconds)
  }

  async #once(key: string, ttlSeconds: number): Promise<boolean> {
    const adapter = this.#adapter
    const options = { ttlSeconds: Math.max(MIN_TTL, Math.ceil(ttlSeconds)) }
    if (adapter.setIfAbsent) return adapter.setIfAbsent(key, '1', options)
    if ((await adapter.get(key)) !== null) return false
    await adapter.set(key, '1', options)
    return true
  }

  /**
   * Records `jti` on its first use and returns a way to forget it again (when the logout it
   * carried could not be done), or `null` when it was seen before. Atomic with `setIfAbsent`;
   * otherwise a read then a write, which a replay racing the original within the store's latency
   * could slip through.
   */
  async rememberOnce(jti: string, ttlSeconds: number): Promise<{ forget(): Promise<void> } | null> {
    const key = await jtiKey(jti)
    if (!(await this.#once(key, ttlSeconds))) return null
    return { forget: () => this.#adapter.delete(key) }
  }

  /** Builds a new record for a login at `now`. */
  newRecord(fields: Pick<SessionRecord, 'user' | 'claims' | 'tokens'>): SessionRecord {
    const now = nowSeconds()
    return {
      v: 1,
      ...fields,
      createdAt: now,
      idleExpiresAt: now + this.#config.sessionTtlSeconds,
      absoluteExpiresAt: now + this.#config.absoluteSessionTtlSeconds,
    }
  }
}

import type { SessionAdapter } from '../adapter.ts'
import type { ResolvedConfig } from '../config.ts'
import { StoreError } from '../errors.ts'
import { open, seal } from './crypto.ts'
import { randomId, sessionKey } from './id.ts'
import {
  expiresAt,
  nowSeconds,
  parseRecord,
  type SessionRecord,
  serializeRecord,
} from './record.ts'

/** Store TTL floor: Cloudflare KV rejects `expirationTtl` below 60 seconds. */
const MIN_TTL = 60

/** Index keys for back-channel logout / `sessions.revoke`. */
export const sidIndexKey = (sid: string) => `bezzie:i:sid:${sid}`
export const subIndexKey = (sub: string) => `bezzie:i:sub:${sub}`

async function guard<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (e) {
    if (e instanceof StoreError) throw e
    throw new StoreError('store_failed', `session store ${what} failed`, e)
  }
}

/**
 * Sessions over a {@link SessionAdapter}: key naming, (de)serialization, optional encryption and
 * TTLs. The adapter only ever sees hashed keys and opaque values.
 */
export class SessionStore {
  readonly adapter: SessionAdapter
  readonly #config: ResolvedConfig

  constructor(config: ResolvedConfig) {
    this.#config = config
    this.adapter = config.adapter
  }

  #ttl(record: SessionRecord): number {
    return Math.max(MIN_TTL, expiresAt(record) - nowSeconds())
  }

  async #encode(key: string, record: SessionRecord): Promise<string> {
    const json = serializeRecord(record)
    const secrets = this.#config.secrets
    return secrets.length ? seal(secrets, 'session', json, key) : json
  }

  async #decode(key: string, raw: string): Promise<SessionRecord | null> {
    const secrets = this.#config.secrets
    const json = secrets.length ? await open(secrets, 'session', raw, key) : raw
    return json === null ? null : parseRecord(json)
  }

  /** Reads the session stored under `key`; `null` when missing, unreadable or expired. */
  async read(key: string): Promise<SessionRecord | null> {
    const raw = await guard('read', () => this.adapter.get(key))
    if (raw === null) return null
    const record = await this.#decode(key, raw)
    if (!record || expiresAt(record) <= nowSeconds()) return null
    return record
  }

  /** Stores a new session under a fresh id; returns the id (for the cookie) and key. */
  async create(record: SessionRecord): Promise<{ id: string; key: string }> {
    const id = randomId()
    const key = await sessionKey(id)
    await this.write(key, record)
    await this.#index(key, record)
    return { id, key }
  }

  /** Unconditional write. */
  async write(key: string, record: SessionRecord): Promise<void> {
    const value = await this.#encode(key, record)
    await guard('write', () => this.adapter.set(key, value, { ttlSeconds: this.#ttl(record) }))
  }

  /**
   * Writes `record` only if the session still exists, so a refresh or touch never resurrects a
   * session deleted meanwhile. Atomic with `adapter.replace`; otherwise a read right before the
   * write narrows (but cannot close) the window. Resolves `false` when the session is gone.
   */
  async update(key: string, record: SessionRecord): Promise<boolean> {
    const value = await this.#encode(key, record)
    const options = { ttlSeconds: this.#ttl(record) }
    const adapter = this.adapter
    if (adapter.replace) {
      return guard(
        'replace',
        () => adapter.replace?.(key, value, options) ?? Promise.resolve(false),
      )
    }
    if ((await guard('read', () => adapter.get(key))) === null) return false
    await guard('write', () => adapter.set(key, value, options))
    return true
  }

  /** Deletes a session (and its index entries when the adapter has an index). */
  async delete(key: string, record?: SessionRecord | null): Promise<void> {
    await guard('delete', () => this.adapter.delete(key))
    const index = this.adapter.index
    if (index && record) {
      await guard('index', async () => {
        await index.remove(subIndexKey(record.claims.sub), key)
        if (record.claims.sid) await index.remove(sidIndexKey(record.claims.sid), key)
      })
    }
  }

  async #index(key: string, record: SessionRecord): Promise<void> {
    const index = this.adapter.index
    if (!index) return
    const options = { ttlSeconds: Math.max(MIN_TTL, record.absoluteExpiresAt - nowSeconds()) }
    await guard('index', async () => {
      await index.add(subIndexKey(record.claims.sub), key, options)
      if (record.claims.sid) await index.add(sidIndexKey(record.claims.sid), key, options)
    })
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

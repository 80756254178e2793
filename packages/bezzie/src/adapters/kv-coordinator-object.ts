import { BezzieSessionStore } from './durable-object-store.ts'
import type { CoordinatedState, CoordinatedWrite } from './kv-coordinated.ts'

/**
 * How long (in seconds) a deleted key's tombstone is kept at least: far longer than Workers KV
 * takes to propagate the delete (about 60 s), so no lagging copy can be adopted back in. A
 * tombstone also lives as long as the value it replaced would have.
 */
export const TOMBSTONE_MIN_SECONDS = 86_400

/**
 * The Durable Object behind `cloudflareKVAdapter(kv, { coordinator })`: the write side of a
 * session store whose reads stay in Workers KV at the edge. It keeps the authoritative copy of
 * every value written through the adapter, and with it the compare-and-set of versioned session
 * records, the refresh lock, the per-user and per-IdP-session index, and tombstones: once a key is
 * deleted (logout, back-channel logout, `sessions.revoke`) no conditional write can bring it
 * back, whichever isolate or location tries, however stale its KV copy.
 *
 * It is {@link BezzieSessionStore} (same SQLite tables, locks, index, alarms) plus a tombstone
 * table and three calls: {@link latest}, {@link compareAndSwap}, {@link adopt}.
 *
 * Bind it as a SQLite-backed class next to the KV namespace:
 *
 * ```jsonc
 * // wrangler.jsonc
 * "kv_namespaces": [{ "binding": "SESSION_KV", "id": "…" }],
 * "durable_objects": { "bindings": [{ "name": "SESSION_COORDINATOR", "class_name": "BezzieKVCoordinator" }] },
 * "migrations": [{ "tag": "bezzie-kv-coordinator-v1", "new_sqlite_classes": ["BezzieKVCoordinator"] }]
 * ```
 * and re-export it from your Worker's main module: `export { BezzieKVCoordinator } from 'bezzie/durable-object'`.
 *
 * @see https://developers.cloudflare.com/durable-objects/api/sqlite-storage-api/
 */
export class BezzieKVCoordinator extends BezzieSessionStore {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    this.#sql.exec(
      'CREATE TABLE IF NOT EXISTS bezzie_tombstones (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)',
    )
  }

  get #sql(): SqlStorage {
    return this.ctx.storage.sql
  }

  /** The coordinator's view of `key`; see {@link CoordinatedState}. */
  latest(key: string): CoordinatedState {
    const value = this.get(key)
    if (value !== null) return { state: 'live', value }
    return this.#tombstoned(key) ? { state: 'gone' } : { state: 'unknown' }
  }

  /**
   * Stores `value` only if `key` holds exactly `expected`; otherwise answers what it holds, so the
   * caller can bring its stale copy up to date. Never writes a tombstoned or unknown key.
   */
  async compareAndSwap(
    key: string,
    expected: string,
    value: string,
    ttlSeconds: number,
  ): Promise<CoordinatedWrite> {
    if (await this.compareAndSet(key, expected, value, ttlSeconds)) return { state: 'written' }
    return this.latest(key)
  }

  /**
   * Takes `value` (read from KV) as the current value of a key the coordinator does not know
   * (written before the coordinator was configured). A tombstone or a live value wins over it.
   */
  async adopt(key: string, value: string, ttlSeconds: number): Promise<CoordinatedState> {
    const known = this.latest(key)
    if (known.state !== 'unknown') return known
    await super.set(key, value, ttlSeconds)
    return { state: 'live', value }
  }

  /** Stores `value` under `key` (an unconditional write, e.g. a new session), clearing any tombstone. */
  override async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.#sql.exec('DELETE FROM bezzie_tombstones WHERE key = ?', key)
    await super.set(key, value, ttlSeconds)
  }

  /**
   * Deletes `key` and leaves a tombstone for as long as the value could have lived, and at least
   * {@link TOMBSTONE_MIN_SECONDS}.
   */
  override async delete(key: string): Promise<void> {
    const now = Date.now()
    const row = this.#sql
      .exec<{ expires_at: number }>('SELECT expires_at FROM bezzie_values WHERE key = ?', key)
      .toArray()[0]
    const expiresAt = Math.max(row?.expires_at ?? 0, now + TOMBSTONE_MIN_SECONDS * 1000)
    this.#sql.exec(
      'INSERT INTO bezzie_tombstones (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)',
      key,
      expiresAt,
    )
    super.delete(key)
    await this.#sweepBy(expiresAt)
  }

  override async alarm(): Promise<void> {
    this.#sql.exec('DELETE FROM bezzie_tombstones WHERE expires_at <= ?', Date.now())
    await super.alarm()
    const next = this.#sql
      .exec<{ at: number | null }>('SELECT MIN(expires_at) AS at FROM bezzie_tombstones')
      .toArray()[0]?.at
    if (typeof next === 'number') await this.#sweepBy(next)
  }

  #tombstoned(key: string): boolean {
    return (
      this.#sql
        .exec(
          'SELECT 1 AS gone FROM bezzie_tombstones WHERE key = ? AND expires_at > ?',
          key,
          Date.now(),
        )
        .toArray().length > 0
    )
  }

  async #sweepBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at) await this.ctx.storage.setAlarm(at)
  }
}

import { DurableObject } from 'cloudflare:workers'

type Row = Record<string, SqlStorageValue>

/**
 * The Durable Object behind {@link durableObjectAdapter}: a small, strongly consistent key-value
 * store with expiry, locks and set-valued indexes, in the object's own SQLite database.
 *
 * Every method runs its reads and writes synchronously against SQLite, so each call is atomic: a
 * Durable Object handles one event at a time and nothing can interleave inside a call. Expired
 * rows are invisible to reads immediately and are deleted by an alarm set for the earliest expiry.
 *
 * Bind it as a SQLite-backed class (the `new_sqlite_classes` migration):
 *
 * ```jsonc
 * // wrangler.jsonc
 * "durable_objects": { "bindings": [{ "name": "SESSION_STORE", "class_name": "BezzieSessionStore" }] },
 * "migrations": [{ "tag": "bezzie-v1", "new_sqlite_classes": ["BezzieSessionStore"] }]
 * ```
 * and re-export it from your Worker's main module: `export { BezzieSessionStore } from 'bezzie/durable-object'`.
 *
 * @see https://developers.cloudflare.com/durable-objects/api/sqlite-storage-api/
 */
export class BezzieSessionStore extends DurableObject<unknown> {
  readonly #sql: SqlStorage

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    this.#sql = ctx.storage.sql
    this.#sql.exec(`
      CREATE TABLE IF NOT EXISTS bezzie_values (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS bezzie_locks (key TEXT PRIMARY KEY, token TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS bezzie_index (key TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (key, member));
      CREATE TABLE IF NOT EXISTS bezzie_index_expiry (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
    `)
  }

  /** The value under `key`, or `null` when missing or expired. */
  get(key: string): string | null {
    const row = this.#first<{ value: string }>(
      'SELECT value FROM bezzie_values WHERE key = ? AND expires_at > ?',
      key,
      Date.now(),
    )
    return row?.value ?? null
  }

  /** Stores `value` under `key` for `ttlSeconds` (in seconds). */
  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    const expiresAt = Date.now() + ttlSeconds * 1000
    this.#sql.exec(
      'INSERT INTO bezzie_values (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
      key,
      value,
      expiresAt,
    )
    await this.#cleanupBy(expiresAt)
  }

  /** Stores `value` only if `key` holds a live value; resolves whether it did. */
  async replace(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const now = Date.now()
    const expiresAt = now + ttlSeconds * 1000
    const updated = this.#sql.exec(
      'UPDATE bezzie_values SET value = ?, expires_at = ? WHERE key = ? AND expires_at > ?',
      value,
      expiresAt,
      key,
      now,
    ).rowsWritten
    if (updated === 0) return false
    await this.#cleanupBy(expiresAt)
    return true
  }

  /** Stores `value` only if `key` holds exactly `expected` (live); resolves whether it did. */
  async compareAndSet(
    key: string,
    expected: string,
    value: string,
    ttlSeconds: number,
  ): Promise<boolean> {
    const now = Date.now()
    const expiresAt = now + ttlSeconds * 1000
    const updated = this.#sql.exec(
      'UPDATE bezzie_values SET value = ?, expires_at = ? WHERE key = ? AND value = ? AND expires_at > ?',
      value,
      expiresAt,
      key,
      expected,
      now,
    ).rowsWritten
    if (updated === 0) return false
    await this.#cleanupBy(expiresAt)
    return true
  }

  /** Stores `value` only if `key` holds no live value; resolves whether it did. */
  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const now = Date.now()
    if (
      this.#first('SELECT 1 AS live FROM bezzie_values WHERE key = ? AND expires_at > ?', key, now)
    ) {
      return false
    }
    await this.set(key, value, ttlSeconds)
    return true
  }

  delete(key: string): void {
    this.#sql.exec('DELETE FROM bezzie_values WHERE key = ?', key)
  }

  /**
   * Takes the lock `key` for `ttlMs` (in milliseconds) unless a live holder has it; resolves the
   * holder's token (needed to release) or `null`.
   */
  async lock(key: string, ttlMs: number): Promise<string | null> {
    const now = Date.now()
    if (
      this.#first('SELECT 1 AS held FROM bezzie_locks WHERE key = ? AND expires_at > ?', key, now)
    ) {
      return null
    }
    const token = crypto.randomUUID()
    const expiresAt = now + ttlMs
    this.#sql.exec(
      'INSERT INTO bezzie_locks (key, token, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at',
      key,
      token,
      expiresAt,
    )
    await this.#cleanupBy(expiresAt)
    return token
  }

  /** Releases the lock `key` only if `token` still holds it. */
  unlock(key: string, token: string): void {
    this.#sql.exec('DELETE FROM bezzie_locks WHERE key = ? AND token = ?', key, token)
  }

  /** Adds `member` to the set `key`, which then lives at least `ttlSeconds` (in seconds). */
  async indexAdd(key: string, member: string, ttlSeconds: number): Promise<void> {
    const now = Date.now()
    const expiresAt = now + ttlSeconds * 1000
    // A set whose expiry passed is gone, even if the alarm has not swept it yet.
    if (
      !this.#first(
        'SELECT 1 AS live FROM bezzie_index_expiry WHERE key = ? AND expires_at > ?',
        key,
        now,
      )
    ) {
      this.#sql.exec('DELETE FROM bezzie_index WHERE key = ?', key)
    }
    this.#sql.exec('INSERT OR IGNORE INTO bezzie_index (key, member) VALUES (?, ?)', key, member)
    this.#sql.exec(
      'INSERT INTO bezzie_index_expiry (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)',
      key,
      expiresAt,
    )
    await this.#cleanupBy(expiresAt)
  }

  /** Every member of the set `key` (empty when missing or expired). */
  indexMembers(key: string): string[] {
    return this.#sql
      .exec<{ member: string }>(
        'SELECT i.member FROM bezzie_index i JOIN bezzie_index_expiry e ON e.key = i.key WHERE i.key = ? AND e.expires_at > ?',
        key,
        Date.now(),
      )
      .toArray()
      .map((row) => row.member)
  }

  /** Removes `member` from the set `key`. */
  indexRemove(key: string, member: string): void {
    this.#sql.exec('DELETE FROM bezzie_index WHERE key = ? AND member = ?', key, member)
  }

  /** Deletes everything expired, then schedules the next sweep for the earliest remaining expiry. */
  override async alarm(): Promise<void> {
    const now = Date.now()
    this.#sql.exec('DELETE FROM bezzie_values WHERE expires_at <= ?', now)
    this.#sql.exec('DELETE FROM bezzie_locks WHERE expires_at <= ?', now)
    this.#sql.exec(
      'DELETE FROM bezzie_index WHERE key IN (SELECT key FROM bezzie_index_expiry WHERE expires_at <= ?)',
      now,
    )
    this.#sql.exec('DELETE FROM bezzie_index_expiry WHERE expires_at <= ?', now)
    const next = this.#first<{ at: number | null }>(
      `SELECT MIN(at) AS at FROM (
         SELECT MIN(expires_at) AS at FROM bezzie_values
         UNION ALL SELECT MIN(expires_at) FROM bezzie_locks
         UNION ALL SELECT MIN(expires_at) FROM bezzie_index_expiry)`,
    )?.at
    if (typeof next === 'number') await this.ctx.storage.setAlarm(next)
  }

  /** Makes sure a sweep is scheduled no later than `expiresAt` (in epoch milliseconds). */
  async #cleanupBy(expiresAt: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > expiresAt) await this.ctx.storage.setAlarm(expiresAt)
  }

  #first<T extends Row>(query: string, ...bindings: unknown[]): T | undefined {
    return this.#sql.exec<T>(query, ...bindings).toArray()[0]
  }
}

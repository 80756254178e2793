/**
 * The storage contract every bezzie session store implements.
 *
 * Adapters are deliberately dumb: they get, set and delete opaque string values under keys the
 * library chooses, with a time-to-live. Serialization, encryption, key naming and expiry policy
 * belong to the library. Optional capabilities (a lock, a conditional write, a secondary index)
 * let bezzie offer stronger guarantees where the store can provide them; an adapter that lacks
 * one degrades documented behaviour, never the correctness of the happy path.
 *
 * @packageDocumentation
 */

/** Options for {@link SessionAdapter.set} and {@link SessionAdapter.replace}. */
export interface SetOptions {
  /**
   * Time-to-live of the value (in seconds). The store must stop returning the value after this
   * long. Always a positive integer; bezzie never asks for less than 60 (Cloudflare KV's minimum).
   */
  ttlSeconds: number
}

/** A held lock, returned by {@link SessionAdapter.lock}. */
export interface LockHandle {
  /**
   * Releases the lock if, and only if, this holder still owns it (a lock that expired and was
   * taken by someone else is left alone). Never throws for an already-released lock.
   */
  release(): Promise<void>
}

/**
 * A session store.
 *
 * Required: {@link get}, {@link set}, {@link delete}. Everything else is an optional capability;
 * bezzie feature-detects it by presence of the method.
 */
export interface SessionAdapter {
  /** Returns the value stored under `key`, or `null` when missing or expired. */
  get(key: string): Promise<string | null>

  /**
   * Capability: a read that is never stale, for a store whose {@link get} may answer from a
   * lagging cache (Cloudflare KV with a coordinator: `get` reads KV at the edge, this asks the
   * coordinator). bezzie reads through it wherever a stale copy could do harm: under the refresh
   * lock, after a refused compare-and-set, before ending a session on `invalid_grant`, and for the
   * session list and revocation. Stores whose `get` is already current leave it out.
   */
  getLatest?(key: string): Promise<string | null>
  /** Stores `value` under `key` (overwriting), expiring after `options.ttlSeconds`. */
  set(key: string, value: string, options: SetOptions): Promise<void>
  /** Deletes `key`. Deleting a missing key is not an error. */
  delete(key: string): Promise<void>

  /**
   * Capability: conditional write. Stores `value` only if `key` currently exists, atomically
   * (Redis `SET … XX`, a Durable Object transaction). Resolves `true` when written, `false` when
   * the key was missing. bezzie uses it so that a token refresh never resurrects a session that
   * was logged out meanwhile.
   */
  replace?(key: string, value: string, options: SetOptions): Promise<boolean>

  /**
   * Capability: compare-and-set. Stores `value` only if `key` currently holds exactly `expected`
   * (byte for byte), atomically: a Lua script on Redis, one SQLite statement in a Durable Object,
   * a synchronous check-and-write in memory. Resolves `true` when written, `false` when the key
   * was missing or held anything else. bezzie versions every session record and writes through
   * this, so a write based on a stale read (a refresh racing an idle-expiry slide, two isolates
   * refreshing) can never put an older record back.
   */
  compareAndSet?(
    key: string,
    expected: string,
    value: string,
    options: SetOptions,
  ): Promise<boolean>

  /**
   * Capability: set-if-absent. Stores `value` only if `key` holds no live value, atomically
   * (Redis `SET … NX`, a Durable Object statement). Resolves `true` when written. bezzie uses it
   * to remember a back-channel logout token's `jti` exactly once.
   */
  setIfAbsent?(key: string, value: string, options: SetOptions): Promise<boolean>

  /**
   * Capability: a mutual-exclusion lock across isolates and processes. Tries once to take the lock
   * named `key` for `ttlMs` (in milliseconds) and resolves a handle, or `null` when another holder
   * has it. bezzie uses it to refresh a session at most once at a time across isolates.
   */
  lock?(key: string, ttlMs: number): Promise<LockHandle | null>

  /**
   * Capability: a secondary index (a set of members under an index key), used by back-channel
   * logout to find every session of an IdP session (`sid`) or a user (`sub`).
   */
  index?: SessionIndex
}

/** A set-valued secondary index; see {@link SessionAdapter.index}. */
export interface SessionIndex {
  /** Adds `member` to the set under `indexKey`; the set lives at least `options.ttlSeconds`. */
  add(indexKey: string, member: string, options: SetOptions): Promise<void>
  /** Returns every member of the set under `indexKey` (empty when missing). */
  members(indexKey: string): Promise<string[]>
  /** Removes `member` from the set under `indexKey`. */
  remove(indexKey: string, member: string): Promise<void>
}

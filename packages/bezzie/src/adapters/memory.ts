import type { LockHandle, SessionAdapter, SessionIndex, SetOptions } from '../adapter.ts'
import { ConfigError } from '../errors.ts'

interface Entry {
  value: string
  expiresAt: number
}

/** Options of {@link MemoryAdapter}. */
export interface MemoryAdapterOptions {
  /**
   * Most values (sessions, transactions, locks and index sets together) held at once. Beyond it,
   * expired entries go first, then the oldest written. Default 10,000.
   */
  maxEntries?: number
  /**
   * How often (in milliseconds) expired entries are swept out, at the latest; the sweep runs
   * during writes, never on a timer, so an idle process keeps no handle open. Default 1,000.
   */
  sweepIntervalMs?: number
}

/**
 * An in-memory session store for local development and tests. State lives in this one isolate
 * or process and is lost on restart: do not use it in production. Offers every capability
 * (compare-and-set, set-if-absent, replace, lock, index), all atomic within the isolate, because
 * each method checks and writes without an `await` in between. Expired entries are evicted and
 * the number of entries is bounded ({@link MemoryAdapterOptions.maxEntries}).
 */
export class MemoryAdapter implements SessionAdapter {
  readonly #data = new Map<string, Entry>()
  readonly #locks = new Map<string, { token: symbol; expiresAt: number }>()
  readonly #sets = new Map<string, { members: Set<string>; expiresAt: number }>()
  readonly #maxEntries: number
  readonly #sweepIntervalMs: number
  #lastSweep = Date.now()

  constructor({ maxEntries = 10_000, sweepIntervalMs = 1000 }: MemoryAdapterOptions = {}) {
    if (!(Number.isInteger(maxEntries) && maxEntries > 0)) {
      throw new ConfigError('MemoryAdapter.maxEntries', 'must be a positive integer')
    }
    if (!(Number.isFinite(sweepIntervalMs) && sweepIntervalMs >= 0)) {
      throw new ConfigError('MemoryAdapter.sweepIntervalMs', 'must be >= 0')
    }
    this.#maxEntries = maxEntries
    this.#sweepIntervalMs = sweepIntervalMs
  }

  /** How many entries (values, locks, index sets) are held right now, expired or not. */
  get size(): number {
    return this.#data.size + this.#locks.size + this.#sets.size
  }

  #live(key: string): Entry | undefined {
    const entry = this.#data.get(key)
    if (entry && entry.expiresAt <= Date.now()) {
      this.#data.delete(key)
      return undefined
    }
    return entry
  }

  /** Drops expired entries (at most once per sweep interval), then the oldest beyond the bound. */
  #makeRoom(): void {
    const now = Date.now()
    if (now - this.#lastSweep >= this.#sweepIntervalMs || this.size >= this.#maxEntries) {
      this.#lastSweep = now
      for (const map of [this.#data, this.#locks, this.#sets]) {
        for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key)
      }
    }
    // Maps iterate in insertion order, and every write re-inserts: the first key is the oldest.
    while (this.size >= this.#maxEntries) {
      const map = [this.#data, this.#sets, this.#locks].find((m) => m.size > 0)
      const oldest = map?.keys().next().value
      if (map === undefined || oldest === undefined) return
      map.delete(oldest)
    }
  }

  #write(key: string, value: string, ttlSeconds: number): void {
    this.#data.delete(key)
    this.#makeRoom()
    this.#data.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 })
  }

  async get(key: string): Promise<string | null> {
    return this.#live(key)?.value ?? null
  }

  async set(key: string, value: string, { ttlSeconds }: SetOptions): Promise<void> {
    this.#write(key, value, ttlSeconds)
  }

  async delete(key: string): Promise<void> {
    this.#data.delete(key)
  }

  async replace(key: string, value: string, { ttlSeconds }: SetOptions): Promise<boolean> {
    if (!this.#live(key)) return false
    this.#write(key, value, ttlSeconds)
    return true
  }

  async compareAndSet(
    key: string,
    expected: string,
    value: string,
    { ttlSeconds }: SetOptions,
  ): Promise<boolean> {
    if (this.#live(key)?.value !== expected) return false
    this.#write(key, value, ttlSeconds)
    return true
  }

  async setIfAbsent(key: string, value: string, { ttlSeconds }: SetOptions): Promise<boolean> {
    if (this.#live(key)) return false
    this.#write(key, value, ttlSeconds)
    return true
  }

  async lock(key: string, ttlMs: number): Promise<LockHandle | null> {
    const held = this.#locks.get(key)
    if (held && held.expiresAt > Date.now()) return null
    const token = Symbol(key)
    this.#locks.delete(key)
    this.#makeRoom()
    this.#locks.set(key, { token, expiresAt: Date.now() + ttlMs })
    return {
      release: async () => {
        if (this.#locks.get(key)?.token === token) this.#locks.delete(key)
      },
    }
  }

  readonly index: SessionIndex = {
    add: async (indexKey, member, { ttlSeconds }) => {
      const expiresAt = Date.now() + ttlSeconds * 1000
      const set = this.#sets.get(indexKey)
      if (set && set.expiresAt > Date.now()) {
        set.members.add(member)
        set.expiresAt = Math.max(set.expiresAt, expiresAt)
      } else {
        this.#sets.delete(indexKey)
        this.#makeRoom()
        this.#sets.set(indexKey, { members: new Set([member]), expiresAt })
      }
    },
    members: async (indexKey) => {
      const set = this.#sets.get(indexKey)
      return set && set.expiresAt > Date.now() ? [...set.members] : []
    },
    remove: async (indexKey, member) => {
      const set = this.#sets.get(indexKey)
      set?.members.delete(member)
      if (set?.members.size === 0) this.#sets.delete(indexKey)
    },
  }
}

/** Creates a {@link MemoryAdapter}. */
export function memoryAdapter(options?: MemoryAdapterOptions): MemoryAdapter {
  return new MemoryAdapter(options)
}

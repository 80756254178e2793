import type { LockHandle, SessionAdapter, SessionIndex, SetOptions } from '../adapter.ts'

interface Entry {
  value: string
  expiresAt: number
}

/**
 * An in-memory session store for local development and tests. State lives in this one isolate
 * or process and is lost on restart: do not use it in production. Offers every capability
 * (replace, lock, index), all atomic within the isolate.
 */
export class MemoryAdapter implements SessionAdapter {
  readonly #data = new Map<string, Entry>()
  readonly #locks = new Map<string, { token: symbol; expiresAt: number }>()
  readonly #sets = new Map<string, { members: Set<string>; expiresAt: number }>()

  #live(key: string): Entry | undefined {
    const entry = this.#data.get(key)
    if (entry && entry.expiresAt <= Date.now()) {
      this.#data.delete(key)
      return undefined
    }
    return entry
  }

  async get(key: string): Promise<string | null> {
    return this.#live(key)?.value ?? null
  }

  async set(key: string, value: string, { ttlSeconds }: SetOptions): Promise<void> {
    this.#data.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 })
  }

  async delete(key: string): Promise<void> {
    this.#data.delete(key)
  }

  async replace(key: string, value: string, options: SetOptions): Promise<boolean> {
    if (!this.#live(key)) return false
    await this.set(key, value, options)
    return true
  }

  async lock(key: string, ttlMs: number): Promise<LockHandle | null> {
    const held = this.#locks.get(key)
    if (held && held.expiresAt > Date.now()) return null
    const token = Symbol(key)
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
        this.#sets.set(indexKey, { members: new Set([member]), expiresAt })
      }
    },
    members: async (indexKey) => {
      const set = this.#sets.get(indexKey)
      return set && set.expiresAt > Date.now() ? [...set.members] : []
    },
    remove: async (indexKey, member) => {
      this.#sets.get(indexKey)?.members.delete(member)
    },
  }
}

/** Creates a {@link MemoryAdapter}. */
export function memoryAdapter(): MemoryAdapter {
  return new MemoryAdapter()
}

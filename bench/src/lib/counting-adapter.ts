import type { LockHandle, SessionAdapter, SetOptions } from 'bezzie'

/** Operations a {@link CountingAdapter} tallies. Reads: get, index.members. Writes: the rest. */
export type StoreOp =
  | 'get'
  | 'set'
  | 'delete'
  | 'replace'
  | 'lock'
  | 'unlock'
  | 'index.add'
  | 'index.members'
  | 'index.remove'

export type StoreCounts = Record<StoreOp, number>

/** Every operation at zero. */
export const zeroCounts = (): StoreCounts => ({
  get: 0,
  set: 0,
  delete: 0,
  replace: 0,
  lock: 0,
  unlock: 0,
  'index.add': 0,
  'index.members': 0,
  'index.remove': 0,
})

/** Reads are operations that only look; everything else changes the store (and costs a KV write). */
export const reads = (c: StoreCounts) => c.get + c['index.members']
export const writes = (c: StoreCounts) =>
  c.set + c.delete + c.replace + c.lock + c.unlock + c['index.add'] + c['index.remove']

/**
 * A session store that counts what bezzie asks of a real store underneath. It offers exactly the
 * capabilities of the wrapped adapter, so bezzie takes the same code paths it would without it.
 */
export class CountingAdapter {
  counts: StoreCounts = zeroCounts()
  readonly adapter: SessionAdapter

  constructor(inner: SessionAdapter) {
    const count = (op: StoreOp) => {
      this.counts[op]++
    }
    const adapter: SessionAdapter = {
      get(key) {
        count('get')
        return inner.get(key)
      },
      set(key, value, options: SetOptions) {
        count('set')
        return inner.set(key, value, options)
      },
      delete(key) {
        count('delete')
        return inner.delete(key)
      },
    }
    if (inner.replace) {
      const replace = inner.replace.bind(inner)
      adapter.replace = (key, value, options) => {
        count('replace')
        return replace(key, value, options)
      }
    }
    if (inner.lock) {
      const lock = inner.lock.bind(inner)
      adapter.lock = async (key, ttlMs): Promise<LockHandle | null> => {
        count('lock')
        const handle = await lock(key, ttlMs)
        if (!handle) return null
        return {
          release() {
            count('unlock')
            return handle.release()
          },
        }
      }
    }
    if (inner.index) {
      const index = inner.index
      adapter.index = {
        add(k, m, o) {
          count('index.add')
          return index.add(k, m, o)
        },
        members(k) {
          count('index.members')
          return index.members(k)
        },
        remove(k, m) {
          count('index.remove')
          return index.remove(k, m)
        },
      }
    }
    this.adapter = adapter
  }

  /** Returns the counts so far and starts again from zero. */
  take(): StoreCounts {
    const c = this.counts
    this.counts = zeroCounts()
    return c
  }
}

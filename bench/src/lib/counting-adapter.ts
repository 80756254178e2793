import type { LockHandle, SessionAdapter, SetOptions } from 'bezzie'

/**
 * Operations a {@link CountingAdapter} tallies. Reads: get, getLatest, index.members. Writes: the
 * rest.
 */
export type StoreOp =
  | 'get'
  | 'getLatest'
  | 'set'
  | 'delete'
  | 'replace'
  | 'compareAndSet'
  | 'setIfAbsent'
  | 'lock'
  | 'unlock'
  | 'index.add'
  | 'index.members'
  | 'index.remove'

export type StoreCounts = Record<StoreOp, number>

/** Every operation at zero. */
export const zeroCounts = (): StoreCounts => ({
  get: 0,
  getLatest: 0,
  set: 0,
  delete: 0,
  replace: 0,
  compareAndSet: 0,
  setIfAbsent: 0,
  lock: 0,
  unlock: 0,
  'index.add': 0,
  'index.members': 0,
  'index.remove': 0,
})

/** Reads are operations that only look; everything else changes the store (and costs a KV write). */
export const reads = (c: StoreCounts) => c.get + c.getLatest + c['index.members']
export const writes = (c: StoreCounts) =>
  c.set +
  c.delete +
  c.replace +
  c.compareAndSet +
  c.setIfAbsent +
  c.lock +
  c.unlock +
  c['index.add'] +
  c['index.remove']
/**
 * The operations that write Workers KV (put or delete) on the KV adapters: with a coordinator,
 * locks and the index live in the Durable Object, and only values are written to KV too.
 */
export const kvWrites = (c: StoreCounts) =>
  c.set + c.delete + c.replace + c.compareAndSet + c.setIfAbsent

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
    if (inner.getLatest) {
      const getLatest = inner.getLatest.bind(inner)
      adapter.getLatest = (key) => {
        count('getLatest')
        return getLatest(key)
      }
    }
    if (inner.compareAndSet) {
      const compareAndSet = inner.compareAndSet.bind(inner)
      adapter.compareAndSet = (key, expected, value, options) => {
        count('compareAndSet')
        return compareAndSet(key, expected, value, options)
      }
    }
    if (inner.setIfAbsent) {
      const setIfAbsent = inner.setIfAbsent.bind(inner)
      adapter.setIfAbsent = (key, value, options) => {
        count('setIfAbsent')
        return setIfAbsent(key, value, options)
      }
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

import type { LockHandle, SessionIndex } from '../adapter.ts'

/**
 * The lock and index calls that both Durable Object classes answer (`BezzieSessionStore` and
 * `BezzieKVCoordinator`, which extends it): the adapters for the Durable Object store and for KV
 * with a coordinator forward them the same way.
 */
export interface LockIndexStub {
  lock(key: string, ttlMs: number): Promise<string | null>
  unlock(key: string, token: string): Promise<void>
  indexAdd(key: string, member: string, ttlSeconds: number): Promise<void>
  indexMembers(key: string): Promise<string[]>
  indexRemove(key: string, member: string): Promise<void>
}

/**
 * `lock` and `index` of a session adapter over the object that owns each key. The handle
 * releases at most once; a second `release()` does nothing, as {@link LockHandle} promises.
 *
 * @param stub - The stub of the object that owns `key`.
 */
export function lockAndIndex(stub: (key: string) => LockIndexStub): {
  lock(key: string, ttlMs: number): Promise<LockHandle | null>
  index: SessionIndex
} {
  return {
    async lock(key, ttlMs) {
      const token = await stub(key).lock(key, ttlMs)
      if (token === null) return null
      let released = false
      return {
        async release() {
          if (released) return
          released = true
          await stub(key).unlock(key, token)
        },
      }
    },
    index: {
      add: (indexKey, member, { ttlSeconds }) =>
        stub(indexKey).indexAdd(indexKey, member, ttlSeconds),
      members: (indexKey) => stub(indexKey).indexMembers(indexKey),
      remove: (indexKey, member) => stub(indexKey).indexRemove(indexKey, member),
    },
  }
}

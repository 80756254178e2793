import type { KVNamespaceLike } from '../../src/adapters/kv.ts'

/**
 * Workers KV as seen from another location: the first read of a key there is cached, and every
 * later read answers that copy (real KV caches a read at the edge for 60 s by default, and a write
 * made elsewhere takes about as long to arrive). Writes and deletes go through to the real
 * namespace and do not refresh this location's cache. `refresh()` ends the lag (the cache expired).
 *
 * Local KV in workerd is strongly consistent, so this wrapper is how a test reproduces what a
 * second location sees; it changes nothing but the timing of what is read.
 */
export function laggingKV(kv: KVNamespaceLike): KVNamespaceLike & { refresh(): void } {
  const cache = new Map<string, string | null>()
  return {
    async get(key) {
      if (cache.has(key)) return cache.get(key) as string | null
      const value = await kv.get(key)
      cache.set(key, value)
      return value
    },
    put: (key, value, options) => kv.put(key, value, options),
    delete: (key) => kv.delete(key),
    refresh: () => cache.clear(),
  }
}

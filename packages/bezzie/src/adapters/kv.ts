import type { SessionAdapter } from '../adapter.ts'
import { ConfigError } from '../errors.ts'

/** The subset of Cloudflare's `KVNamespace` the adapter uses. */
export interface KVNamespaceLike {
  get(key: string): Promise<string | null>
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>
  delete(key: string): Promise<void>
}

/**
 * A session store on Cloudflare Workers KV.
 *
 * What KV cannot guarantee: it is eventually consistent (a write may take 60 s or more to be
 * visible in other locations) and allows about one write per second per key. It therefore offers
 * no lock, no conditional write and no index. bezzie compensates where it can: refreshes are
 * single-flight within an isolate, and an `invalid_grant` re-reads the session in case another
 * isolate rotated the refresh token. With an IdP that rotates refresh tokens, prefer the Durable
 * Object adapter; back-channel logout and `sessions.revoke` need an adapter with an index.
 *
 * @param kv - A KV namespace binding, e.g. `env.SESSION_KV`.
 * @see https://developers.cloudflare.com/kv/concepts/how-kv-works/
 */
export function cloudflareKVAdapter(kv: KVNamespaceLike): SessionAdapter {
  if (!kv || typeof kv.get !== 'function' || typeof kv.put !== 'function') {
    throw new ConfigError('cloudflareKVAdapter.kv', 'needs a KV namespace binding')
  }
  let adapter = adapters.get(kv)
  if (!adapter) {
    adapter = wrap(kv)
    adapters.set(kv, adapter)
  }
  return adapter
}

// One adapter per binding, so a per-request `createBezzie` sees the same adapter object and hits
// its instance memo (see createBezzie).
const adapters = new WeakMap<KVNamespaceLike, SessionAdapter>()

function wrap(kv: KVNamespaceLike): SessionAdapter {
  return {
    get: (key) => kv.get(key),
    // KV rejects expirationTtl below 60 seconds.
    set: (key, value, { ttlSeconds }) =>
      kv.put(key, value, { expirationTtl: Math.max(60, Math.ceil(ttlSeconds)) }),
    delete: (key) => kv.delete(key),
  }
}

import type { SessionAdapter } from '../adapter.ts'
import { ConfigError } from '../errors.ts'
import { coordinatedKV, type KVCoordinatorNamespace } from './kv-coordinated.ts'

/** The subset of Cloudflare's `KVNamespace` the adapter uses. */
export interface KVNamespaceLike {
  get(key: string): Promise<string | null>
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>
  delete(key: string): Promise<void>
}

/** Options for {@link cloudflareKVAdapter}. */
export interface CloudflareKVAdapterOptions {
  /**
   * A Durable Object namespace binding of `BezzieKVCoordinator` (exported by
   * `bezzie/durable-object`), e.g. `env.SESSION_COORDINATOR`. Sessions are still read from KV at
   * the edge (a signed-in request makes one KV read and no Durable Object call), while everything
   * that must not race goes through the coordinator:
   *
   * - the refresh lock: a session refreshes once at a time across isolates and locations, so an
   *   IdP that rotates refresh tokens never sees one reused;
   * - compare-and-set of versioned session records: a slide of the idle expiry never writes back
   *   old tokens, and a refresh is written only over the record it was refreshed from;
   * - tombstones: a session deleted by logout is never written back by a concurrent refresh or
   *   slide, whichever isolate or location it runs in and however stale its KV copy;
   * - reads that must be current (under the refresh lock, after a conflicting write, before
   *   ending a session on `invalid_grant`) come from the coordinator, never from a lagging KV copy;
   * - the per-user and per-IdP-session index: `auth.sessions.list` / `revoke` ("your devices")
   *   and back-channel logout work on KV.
   *
   * What stays eventual: a logged-out session can still be *read* from KV's cache in another
   * location until KV propagates the delete (about 60 s), though any write or refresh there ends
   * it. Sessions written before the coordinator was configured are adopted from KV on their first
   * write. Default: none (plain KV, see above).
   */
  coordinator?: KVCoordinatorNamespace
}

/**
 * A session store on Cloudflare Workers KV.
 *
 * What KV cannot guarantee: it is eventually consistent (a write may take 60 s or more to be
 * visible in other locations) and allows about one write per second per key. On its own it
 * therefore offers no lock, no conditional write and no index. bezzie compensates where it can:
 * refreshes are single-flight within an isolate, and an `invalid_grant` re-reads the session in
 * case another isolate rotated the refresh token. With an IdP that rotates refresh tokens, add a
 * `coordinator` (a Durable Object for the lock, compare-and-set, logout tombstones and the index,
 * while reads stay in KV) or use the Durable Object adapter.
 *
 * @param kv - A KV namespace binding, e.g. `env.SESSION_KV`.
 * @param options - {@link CloudflareKVAdapterOptions}; default: plain KV.
 * @see https://developers.cloudflare.com/kv/concepts/how-kv-works/
 */
export function cloudflareKVAdapter(
  kv: KVNamespaceLike,
  options: CloudflareKVAdapterOptions = {},
): SessionAdapter {
  if (!kv || typeof kv.get !== 'function' || typeof kv.put !== 'function') {
    throw new ConfigError('cloudflareKVAdapter.kv', 'needs a KV namespace binding')
  }
  const { coordinator } = options
  if (
    coordinator !== undefined &&
    (!coordinator ||
      typeof coordinator.idFromName !== 'function' ||
      typeof coordinator.get !== 'function')
  ) {
    throw new ConfigError(
      'cloudflareKVAdapter.coordinator',
      'needs a Durable Object namespace binding of BezzieKVCoordinator',
    )
  }
  // One adapter per binding (and coordinator), so a per-request `createBezzie` sees the same
  // adapter object and hits its instance memo (see createBezzie).
  let perKV = adapters.get(kv)
  if (!perKV) {
    perKV = { coordinated: new WeakMap() }
    adapters.set(kv, perKV)
  }
  if (!coordinator) {
    perKV.plain ??= wrap(kv)
    return perKV.plain
  }
  let adapter = perKV.coordinated.get(coordinator)
  if (!adapter) {
    adapter = coordinatedKV(kv, coordinator)
    perKV.coordinated.set(coordinator, adapter)
  }
  return adapter
}

const adapters = new WeakMap<
  KVNamespaceLike,
  { plain?: SessionAdapter; coordinated: WeakMap<KVCoordinatorNamespace, SessionAdapter> }
>()

function wrap(kv: KVNamespaceLike): SessionAdapter {
  return {
    get: (key) => kv.get(key),
    // KV rejects expirationTtl below 60 seconds.
    set: (key, value, { ttlSeconds }) =>
      kv.put(key, value, { expirationTtl: Math.max(60, Math.ceil(ttlSeconds)) }),
    delete: (key) => kv.delete(key),
  }
}

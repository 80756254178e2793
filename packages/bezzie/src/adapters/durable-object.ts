import type { SessionAdapter } from '../adapter.ts'
import { ConfigError } from '../errors.ts'
import { lockAndIndex } from './durable-object-rpc.ts'
import type { BezzieSessionStore } from './durable-object-store.ts'

/** Options for {@link durableObjectAdapter}. */
export interface DurableObjectAdapterOptions {
  /**
   * Spread keys over this many Durable Object instances by hash instead of giving each session
   * its own instance. Fewer, busier objects (each handles one request at a time, roughly a
   * thousand simple operations per second). Default: unset, one object per session.
   */
  shards?: number
}

/** The part of a `DurableObjectNamespace<BezzieSessionStore>` binding the adapter uses. */
export interface BezzieSessionStoreNamespace {
  idFromName(name: string): DurableObjectId
  get(id: DurableObjectId): DurableObjectStub<BezzieSessionStore>
}

/**
 * A session store on Durable Objects: strongly consistent reads and writes, an atomic
 * conditional write (a refresh never resurrects a session deleted by logout), a real lock across
 * isolates and locations (so a session refreshes once even when the IdP rotates refresh tokens),
 * and the index for back-channel logout. Expired entries are invisible at once and swept by alarms.
 *
 * Routing: each key lives in the object named after the whole key, so different sessions never
 * contend and the adapter needs to know nothing about how bezzie names its keys. With `shards`,
 * keys are hashed over that many objects instead. Either way a key always maps to the same object,
 * which is what makes every operation on it linearizable.
 *
 * Needs the {@link BezzieSessionStore} class exported from your Worker and bound with a
 * `new_sqlite_classes` migration (see `docs/stores.md`).
 *
 * @param namespace - The binding, e.g. `env.SESSION_STORE`.
 * @see https://developers.cloudflare.com/durable-objects/
 */
export function durableObjectAdapter(
  namespace: BezzieSessionStoreNamespace,
  { shards }: DurableObjectAdapterOptions = {},
): SessionAdapter {
  if (
    !namespace ||
    typeof namespace.idFromName !== 'function' ||
    typeof namespace.get !== 'function'
  ) {
    throw new ConfigError(
      'durableObjectAdapter.namespace',
      'needs a Durable Object namespace binding of BezzieSessionStore',
    )
  }
  if (shards !== undefined && !(Number.isInteger(shards) && shards > 0)) {
    throw new ConfigError('durableObjectAdapter.shards', 'must be a positive integer')
  }
  // One adapter per binding and shard count, so a per-request `createBezzie` sees the same
  // adapter object and hits its instance memo (see createBezzie).
  let perShards = adapters.get(namespace)
  if (!perShards) {
    perShards = new Map()
    adapters.set(namespace, perShards)
  }
  let adapter = perShards.get(shards ?? 0)
  if (!adapter) {
    adapter = wrap(namespace, shards)
    perShards.set(shards ?? 0, adapter)
  }
  return adapter
}

const adapters = new WeakMap<BezzieSessionStoreNamespace, Map<number, SessionAdapter>>()

function wrap(namespace: BezzieSessionStoreNamespace, shards: number | undefined): SessionAdapter {
  const route = shards ? (key: string) => `shard-${fnv1a(key) % shards}` : (key: string) => key
  const stub = (key: string) => namespace.get(namespace.idFromName(route(key)))

  return {
    get: (key) => stub(key).get(key),
    set: (key, value, { ttlSeconds }) => stub(key).set(key, value, ttlSeconds),
    delete: (key) => stub(key).delete(key),
    replace: (key, value, { ttlSeconds }) => stub(key).replace(key, value, ttlSeconds),
    compareAndSet: (key, expected, value, { ttlSeconds }) =>
      stub(key).compareAndSet(key, expected, value, ttlSeconds),
    setIfAbsent: (key, value, { ttlSeconds }) => stub(key).setIfAbsent(key, value, ttlSeconds),
    ...lockAndIndex(stub),
  }
}

/** 32-bit FNV-1a: a stable, well-spread hash for choosing a shard. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

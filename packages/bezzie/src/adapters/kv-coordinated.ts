import type { SessionAdapter } from '../adapter.ts'
import { lockAndIndex } from './durable-object-rpc.ts'
import type { KVNamespaceLike } from './kv.ts'

/**
 * What the coordinator knows about a key: a live value; `gone` (deleted, a tombstone: nothing
 * may write it again except an unconditional `set`); or `unknown` (never written through the
 * coordinator, or expired there: the value in KV, if any, is the truth).
 */
export type CoordinatedState =
  | { state: 'live'; value: string }
  | { state: 'gone' }
  | { state: 'unknown' }

/** The outcome of `BezzieKVCoordinator.compareAndSwap`. */
export type CoordinatedWrite = { state: 'written' } | CoordinatedState

/**
 * The calls the KV adapter makes on a `BezzieKVCoordinator` stub. Structural, so that
 * `bezzie/cloudflare` needs no Workers types: a `DurableObjectNamespace<BezzieKVCoordinator>`
 * binding fits.
 */
export interface KVCoordinatorStub {
  latest(key: string): Promise<CoordinatedState>
  compareAndSwap(
    key: string,
    expected: string,
    value: string,
    ttlSeconds: number,
  ): Promise<CoordinatedWrite>
  adopt(key: string, value: string, ttlSeconds: number): Promise<CoordinatedState>
  set(key: string, value: string, ttlSeconds: number): Promise<void>
  delete(key: string): Promise<void>
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>
  lock(key: string, ttlMs: number): Promise<string | null>
  unlock(key: string, token: string): Promise<void>
  indexAdd(key: string, member: string, ttlSeconds: number): Promise<void>
  indexMembers(key: string): Promise<string[]>
  indexRemove(key: string, member: string): Promise<void>
}

/**
 * A Durable Object namespace binding of `BezzieKVCoordinator` (from `bezzie/durable-object`),
 * e.g. `env.SESSION_COORDINATOR`.
 */
export interface KVCoordinatorNamespace {
  idFromName(name: string): unknown
  get(id: never): KVCoordinatorStub
}

/**
 * TTL (in seconds) of a value the coordinator adopts from KV (one written before the coordinator
 * was configured). Only an upper bound on how long the coordinator remembers it: the record
 * carries its own expiry, and a forgotten key is adopted again from KV.
 */
const ADOPTED_TTL_SECONDS = 86_400

/** KV rejects `expirationTtl` below 60 seconds. */
const kvTtl = (ttlSeconds: number) => ({ expirationTtl: Math.max(60, Math.ceil(ttlSeconds)) })

/**
 * KV for reads at the edge, a Durable Object for everything that must not race. See
 * `cloudflareKVAdapter`'s `coordinator` option for the guarantees.
 *
 * Every write goes to the coordinator first (the commit point) and then to KV. After a KV write
 * the adapter asks the coordinator once more and puts KV right when a logout or a newer write
 * landed in between, so the last KV write for a key is always the coordinator's state. A refused
 * compare-and-set brings this location's stale KV copy up to date the same way. Those repairs are
 * best effort (KV allows about one write per second per key); correctness never depends on them,
 * because every decision that matters (the refresh, a write, the index) is taken in the coordinator.
 */
export function coordinatedKV(
  kv: KVNamespaceLike,
  namespace: KVCoordinatorNamespace,
): SessionAdapter {
  const stub = (key: string) => namespace.get(namespace.idFromName(key) as never)
  const put = (key: string, value: string, ttlSeconds: number) =>
    kv.put(key, value, kvTtl(ttlSeconds))
  const bestEffort = (op: Promise<void>) => op.catch(() => {})

  /** Makes this location's KV copy of `key` say what the coordinator holds. */
  const repair = (key: string, known: CoordinatedState, ttlSeconds: number, kvHas?: string) => {
    if (known.state === 'gone') return bestEffort(kv.delete(key))
    if (known.state === 'live' && known.value !== kvHas) {
      return bestEffort(put(key, known.value, ttlSeconds))
    }
    return Promise.resolve()
  }

  return {
    get: (key) => kv.get(key),

    async getLatest(key) {
      const coordinator = stub(key)
      const known = await coordinator.latest(key)
      if (known.state === 'live') return known.value
      if (known.state === 'gone') return null
      // Never written through the coordinator: KV's copy is the truth, and from now on the
      // coordinator's.
      const value = await kv.get(key)
      if (value === null) return null
      const adopted = await coordinator.adopt(key, value, ADOPTED_TTL_SECONDS)
      return adopted.state === 'live' ? adopted.value : null
    },

    async set(key, value, { ttlSeconds }) {
      await stub(key).set(key, value, ttlSeconds)
      await put(key, value, ttlSeconds)
    },

    async delete(key) {
      // The tombstone first: from this moment no write anywhere can bring the key back.
      await stub(key).delete(key)
      await kv.delete(key)
    },

    async compareAndSet(key, expected, value, { ttlSeconds }) {
      const coordinator = stub(key)
      let result = await coordinator.compareAndSwap(key, expected, value, ttlSeconds)
      if (result.state === 'unknown') {
        // Written before the coordinator was configured: adopt KV's copy if it is what the caller
        // read, then compare against it.
        if ((await kv.get(key)) !== expected) return false
        await coordinator.adopt(key, expected, ttlSeconds)
        result = await coordinator.compareAndSwap(key, expected, value, ttlSeconds)
      }
      if (result.state !== 'written') {
        await repair(key, result, ttlSeconds, expected)
        return false
      }
      await put(key, value, ttlSeconds)
      // A logout or a newer write that reached the coordinator while this KV write was on its way
      // must not be undone by it.
      await repair(key, await coordinator.latest(key), ttlSeconds, value)
      return true
    },

    async setIfAbsent(key, value, { ttlSeconds }) {
      // Decided in the coordinator (a back-channel `jti` or a login transaction used once,
      // wherever the replay arrives); KV gets the value for reads.
      if (!(await stub(key).setIfAbsent(key, value, ttlSeconds))) return false
      await put(key, value, ttlSeconds)
      return true
    },

    ...lockAndIndex(stub),
  }
}

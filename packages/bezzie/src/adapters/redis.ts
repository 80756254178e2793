import type { LockHandle, SessionAdapter, SessionIndex, SetOptions } from '../adapter.ts'
import { type RedisClient, redisCommands } from './redis-commands.ts'

export type { RedisClient } from './redis-commands.ts'

// Deletes the lock only while it still holds this holder's token: after our TTL ran out and
// someone else took the lock, a late release must not free theirs.
const RELEASE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`

// SADD, then make the set live at least ttl seconds without ever shortening a longer TTL that an
// earlier member needs (TTL answers -1 for a set that has no expiry yet, -2 for none at all).
const INDEX_ADD = `redis.call('SADD', KEYS[1], ARGV[1]) if redis.call('TTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end return 1`

// Writes only while the key still holds exactly the value the caller read (compare-and-set).
const COMPARE_AND_SET = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end return 0`

/**
 * A session store on Redis, through the client the application already has:
 *
 * - `@upstash/redis` (`new Redis({ url, token })`, also from `@upstash/redis/cloudflare`) — works
 *   on Cloudflare Workers over HTTP;
 * - node-redis (`createClient()` from `redis`, connected) and ioredis (`new Redis(url)`) — TCP, for
 *   Node.
 *
 * Capabilities: compare-and-set (a Lua script: `GET`, compare, `SET … EX`, atomic on the server),
 * set-if-absent (`SET … NX EX`), conditional write (`SET … XX EX`), a lock (`SET key token NX PX ttl`, released by
 * an atomic compare-and-delete script so a holder never deletes someone else's lock), and the
 * index for back-channel logout (a Redis set per index key). Redis is strongly consistent on a
 * single primary; with replicas, reads follow your client's routing.
 *
 * Values come back byte-identical: with `@upstash/redis`, whose default JSON deserialization would
 * turn `"123"` into `123`, reads go through a script that keeps them strings.
 *
 * @example
 * ```ts
 * import { Redis } from '@upstash/redis/cloudflare'
 * import { redisAdapter } from 'bezzie/redis'
 * const adapter = redisAdapter(new Redis({ url: env.UPSTASH_URL, token: env.UPSTASH_TOKEN }))
 * ```
 * @see https://redis.io/docs/latest/develop/use/patterns/distributed-locks/ (single-instance lock)
 */
export function redisAdapter(client: RedisClient): SessionAdapter {
  const redis = redisCommands(client)

  const index: SessionIndex = {
    async add(indexKey, member, { ttlSeconds }: SetOptions) {
      await redis.eval(INDEX_ADD, indexKey, [member, String(ttlSeconds)])
    },
    members: (indexKey) => redis.smembers(indexKey),
    remove: (indexKey, member) => redis.srem(indexKey, member),
  }

  return {
    get: (key) => redis.get(key),
    async set(key, value, { ttlSeconds }) {
      await redis.set(key, value, ['EX', String(ttlSeconds)])
    },
    delete: (key) => redis.del(key),
    replace: (key, value, { ttlSeconds }) =>
      redis.set(key, value, ['EX', String(ttlSeconds), 'XX']),
    async compareAndSet(key, expected, value, { ttlSeconds }) {
      const written = await redis.eval(COMPARE_AND_SET, key, [expected, value, String(ttlSeconds)])
      return Number(written) === 1
    },
    setIfAbsent: (key, value, { ttlSeconds }) =>
      redis.set(key, value, ['NX', 'EX', String(ttlSeconds)]),
    async lock(key, ttlMs): Promise<LockHandle | null> {
      const token = randomToken()
      let taken: boolean
      try {
        taken = await redis.set(key, token, ['NX', 'PX', String(Math.max(1, Math.ceil(ttlMs)))])
      } catch (e) {
        // The client gave up (a command timeout) but the server may still run the SET, leaving
        // a lock no one holds: queue its release behind it (it only deletes this token).
        redis.eval(RELEASE_IF_OWNER, key, [token]).catch(() => {})
        throw e
      }
      if (!taken) return null
      let released = false
      return {
        async release() {
          if (released) return
          released = true
          await redis.eval(RELEASE_IF_OWNER, key, [token])
        },
      }
    },
    index,
  }
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

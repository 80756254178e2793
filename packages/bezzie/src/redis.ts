/**
 * `bezzie/redis`: session store on Redis (`@upstash/redis`, node-redis or ioredis).
 *
 * @packageDocumentation
 */
export type { RedisClient } from './adapters/redis.ts'
export { redisAdapter } from './adapters/redis.ts'

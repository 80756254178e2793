import { Redis } from 'ioredis'
import { afterAll, describe } from 'vitest'
import { redisAdapter } from '../../../src/redis.ts'
import { adapterConformance } from '../../conformance/adapter-conformance.ts'
import { hasRedis, useRedisServer } from './redis-fixture.ts'

describe.runIf(hasRedis)('redis through ioredis (TCP)', () => {
  const redis = useRedisServer()
  let client: Redis | undefined

  afterAll(() => {
    client?.disconnect()
  })

  adapterConformance({
    name: 'ioredis',
    adapter() {
      client ??= new Redis(redis.url)
      return redisAdapter(client)
    },
    capabilities: {
      replace: true,
      compareAndSet: true,
      setIfAbsent: true,
      lock: true,
      index: true,
    },
    ttl: { mode: 'observe' },
  })
})

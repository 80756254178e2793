import { createClient } from 'redis'
import { afterAll, describe } from 'vitest'
import { redisAdapter } from '../../../src/redis.ts'
import { adapterConformance } from '../../conformance/adapter-conformance.ts'
import { hasRedis, useRedisServer } from './redis-fixture.ts'

describe.runIf(hasRedis)('redis through node-redis (TCP)', () => {
  const redis = useRedisServer()
  let client: ReturnType<typeof createClient> | undefined

  afterAll(async () => {
    await client?.quit()
  })

  adapterConformance({
    name: 'node-redis',
    async adapter() {
      if (!client) {
        client = createClient({ url: redis.url })
        await client.connect()
      }
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

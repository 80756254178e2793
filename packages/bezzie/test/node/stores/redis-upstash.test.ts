import { Redis } from '@upstash/redis'
import { Redis as CloudflareRedis } from '@upstash/redis/cloudflare'
import { describe, expect, it } from 'vitest'
import { redisAdapter } from '../../../src/redis.ts'
import { adapterConformance } from '../../conformance/adapter-conformance.ts'
import { hasRedis, useRedisServer } from './redis-fixture.ts'

const capabilities = {
  replace: true,
  compareAndSet: true,
  setIfAbsent: true,
  lock: true,
  index: true,
}

describe.runIf(hasRedis)('redis through @upstash/redis (REST bridge → real redis-server)', () => {
  const redis = useRedisServer({ bridge: true })
  const client = () =>
    new Redis({ url: redis.bridge.url, token: redis.bridge.token, enableTelemetry: false })

  adapterConformance({
    name: '@upstash/redis',
    adapter: () => redisAdapter(client()),
    capabilities,
    ttl: { mode: 'observe' },
  })

  adapterConformance({
    name: '@upstash/redis/cloudflare',
    adapter: () =>
      redisAdapter(
        new CloudflareRedis({
          url: redis.bridge.url,
          token: redis.bridge.token,
          enableTelemetry: false,
        }),
      ),
    capabilities,
    ttl: { mode: 'observe' },
  })

  adapterConformance({
    name: '@upstash/redis without automatic deserialization',
    adapter: () =>
      redisAdapter(
        new Redis({
          url: redis.bridge.url,
          token: redis.bridge.token,
          enableTelemetry: false,
          automaticDeserialization: false,
        }),
      ),
    capabilities,
    ttl: { mode: 'observe' },
  })

  it('stores values verbatim, so a TCP client sharing the database reads the same bytes', async () => {
    const adapter = redisAdapter(client())
    await adapter.set('shared:key', '{"a":1}', { ttlSeconds: 60 })
    const res = await fetch(redis.bridge.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${redis.bridge.token}` },
      body: JSON.stringify(['GET', 'shared:key']),
    })
    expect(await res.json()).toEqual({ result: '{"a":1}' })
  })
})

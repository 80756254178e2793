import { Redis as UpstashRedis } from '@upstash/redis'
import { Redis as IoRedis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionAdapter } from '../../../src/adapter.ts'
import { redisAdapter } from '../../../src/redis.ts'
import { hasRedis, useRedisServer } from './redis-fixture.ts'

// One redis-server, three different clients (HTTP through the Upstash bridge, and two TCP
// clients): what one process writes, locks or indexes, the others see — as when a Worker on
// Upstash and a Node service share one database.

describe.runIf(hasRedis)('redisAdapter across clients sharing one Redis', () => {
  const redis = useRedisServer({ bridge: true })
  let nodeRedis: ReturnType<typeof createClient>
  let ioredis: IoRedis
  let adapters: SessionAdapter[]

  beforeAll(async () => {
    nodeRedis = createClient({ url: redis.url })
    await nodeRedis.connect()
    ioredis = new IoRedis(redis.url)
    const upstash = new UpstashRedis({
      url: redis.bridge.url,
      token: redis.bridge.token,
      enableTelemetry: false,
    })
    adapters = [redisAdapter(upstash), redisAdapter(nodeRedis), redisAdapter(ioredis)]
  })
  afterAll(async () => {
    await nodeRedis?.quit()
    ioredis?.disconnect()
  })

  it('reads back byte-identical what any other client wrote', async () => {
    const values = ['123', '{"a": 1}', 'ünï 👩🏽‍💻', 'OK']
    for (const [w, writer] of adapters.entries()) {
      for (const value of values) {
        const key = `cross:${w}:${value}`
        await writer.set(key, value, { ttlSeconds: 60 })
        for (const reader of adapters) expect(await reader.get(key)).toBe(value)
      }
    }
  })

  it('lets exactly one of 30 lockers spread over the three clients in', async () => {
    const key = `cross:lock:${crypto.randomUUID()}`
    const handles = await Promise.all(
      Array.from({ length: 30 }, (_, i) => adapters[i % 3]?.lock?.(key, 10_000)),
    )
    const winners = handles.filter(Boolean)
    expect(winners).toHaveLength(1)
    await winners[0]?.release()
    const next = await adapters[1]?.lock?.(key, 10_000)
    expect(next).toBeTruthy()
    await next?.release()
  })

  it('shares one index between clients', async () => {
    const key = `cross:index:${crypto.randomUUID()}`
    await adapters[0]?.index?.add(key, 'from-upstash', { ttlSeconds: 60 })
    await adapters[1]?.index?.add(key, 'from-node-redis', { ttlSeconds: 60 })
    await adapters[2]?.index?.add(key, 'from-ioredis', { ttlSeconds: 60 })
    await adapters[2]?.index?.remove(key, 'from-upstash')
    expect((await adapters[0]?.index?.members(key))?.sort()).toEqual([
      'from-ioredis',
      'from-node-redis',
    ])
  })
})

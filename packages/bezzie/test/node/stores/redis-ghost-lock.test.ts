import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { redisAdapter } from '../../../src/redis.ts'
import { hasRedis, useRedisServer } from './redis-fixture.ts'

describe.runIf(hasRedis)('redis lock under a paused server', () => {
  const redis = useRedisServer()
  const clients: Redis[] = []
  afterAll(() => {
    for (const client of clients) client.disconnect()
  })

  it('ghost lock: a lock SET the client timed out on but the server ran later is released, not left to block refreshes for its TTL', async () => {
    const client = new Redis(redis.url, { commandTimeout: 300, maxRetriesPerRequest: 1 })
    const admin = new Redis(redis.url)
    clients.push(client, admin)
    const adapter = redisAdapter(client)
    // Write commands wait 800 ms on the server; the client gives up on the SET after 300 ms.
    await admin.call('CLIENT', 'PAUSE', '800', 'WRITE')
    await expect(adapter.lock?.('bezzie:lock:ghost', 60_000)).rejects.toThrow(/timed out/i)
    // Once the pause ends the server runs the SET, then the release queued behind it.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(await admin.get('bezzie:lock:ghost')).toBeNull()
    expect(await adapter.lock?.('bezzie:lock:ghost', 60_000)).not.toBeNull()
  })
})

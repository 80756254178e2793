import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../../src/errors.ts'
import { redisAdapter } from '../../../src/redis.ts'

describe('redisAdapter client detection', () => {
  it('rejects something that is not a Redis client with a ConfigError naming the accepted clients', () => {
    for (const client of [null, undefined, {}, { get() {} }]) {
      expect(() => redisAdapter(client as never)).toThrow(ConfigError)
    }
    expect(() => redisAdapter({} as never)).toThrow(/@upstash\/redis.*node-redis.*ioredis/)
  })

  it('speaks raw commands to an ioredis-shaped client (call)', async () => {
    const sent: unknown[][] = []
    const adapter = redisAdapter({
      call: async (...args: unknown[]) => {
        sent.push(args)
        return 'OK'
      },
    })
    await adapter.set('k', 'v', { ttlSeconds: 90 })
    expect(sent).toEqual([['SET', 'k', 'v', 'EX', '90']])
  })

  it('speaks raw commands to a node-redis-shaped client (sendCommand)', async () => {
    const sent: unknown[][] = []
    const adapter = redisAdapter({
      sendCommand: async (args: string[]) => {
        sent.push(args)
        return null
      },
    })
    expect(await adapter.replace?.('k', 'v', { ttlSeconds: 90 })).toBe(false)
    expect(sent).toEqual([['SET', 'k', 'v', 'EX', '90', 'XX']])
  })
})

import { Redis } from '@upstash/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
  startUpstashBridge,
  type UpstashBridge,
} from '../src/index.ts'

describe.runIf(redisServerAvailable())('upstash bridge', () => {
  let server: RedisServer
  let bridge: UpstashBridge

  beforeAll(async () => {
    server = await startRedisServer()
    bridge = await startUpstashBridge({ redisUrl: server.url })
  })
  afterAll(async () => {
    await bridge?.stop()
    await server?.stop()
  })

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${bridge.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}`, ...headers },
      body: JSON.stringify(body),
    })

  it('rejects a request without the bearer token with 401', async () => {
    const res = await fetch(bridge.url, { method: 'POST', body: '["PING"]' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'Unauthorized' })
  })

  it('rejects a wrong bearer token with 401', async () => {
    const res = await post('/', ['PING'], { authorization: 'Bearer nope' })
    expect(res.status).toBe(401)
  })

  it('answers a single command as { result } in plain JSON without the encoding header', async () => {
    await post('/', ['SET', 'plain', 'héllo'])
    const res = await post('/', ['GET', 'plain'])
    expect(await res.json()).toEqual({ result: 'héllo' })
  })

  it('base64-encodes bulk strings but not OK when asked to', async () => {
    const set = await post('/', ['SET', 'b64', 'héllo'], { 'upstash-encoding': 'base64' })
    expect(await set.json()).toEqual({ result: 'OK' })
    const get = await post('/', ['GET', 'b64'], { 'upstash-encoding': 'base64' })
    expect(await get.json()).toEqual({ result: Buffer.from('héllo').toString('base64') })
  })

  it('returns Redis errors as { error } with status 400', async () => {
    const res = await post('/', ['NOSUCHCOMMAND'])
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(/unknown command/i)
  })

  it('answers a pipeline with one result or error per command', async () => {
    const res = await post('/pipeline', [
      ['SET', 'p', '1'],
      ['INCR', 'p'],
      ['HGET', 'p', 'x'],
    ])
    const body = await res.json()
    expect(body[0]).toEqual({ result: 'OK' })
    expect(body[1]).toEqual({ result: 2 })
    expect(body[2].error).toMatch(/WRONGTYPE/)
  })

  it('runs /multi-exec as one transaction', async () => {
    const res = await post('/multi-exec', [
      ['SET', 'm', 'a'],
      ['APPEND', 'm', 'b'],
      ['GET', 'm'],
    ])
    expect(await res.json()).toEqual([{ result: 'OK' }, { result: 2 }, { result: 'ab' }])
  })

  it('round-trips values through @upstash/redis with its default base64 encoding', async () => {
    const redis = new Redis({ url: bridge.url, token: bridge.token, enableTelemetry: false })
    await redis.set('client', 'ünïcødé ✓')
    expect(await redis.get('client')).toBe('ünïcødé ✓')
    await redis.sadd('set', 'a', 'b')
    expect((await redis.smembers('set')).sort()).toEqual(['a', 'b'])
    const [a, b] = await redis.multi().set('tx', 'v').get('tx').exec()
    expect([a, b]).toEqual(['OK', 'v'])
  })
})

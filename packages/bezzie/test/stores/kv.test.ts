import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { cloudflareKVAdapter, type KVNamespaceLike } from '../../src/cloudflare.ts'
import { adapterConformance } from '../conformance/adapter-conformance.ts'

// KV's minimum expirationTtl is 60 s, too long to wait for in a test: the suite records the TTL
// the adapter hands to KV (`recorded` mode) and leaves expiry itself to KV's own guarantee.
const recordedTtl = new Map<string, number | undefined>()
const recordingKV: KVNamespaceLike = {
  get: (key) => env.SESSION_KV.get(key),
  put: (key, value, options) => {
    recordedTtl.set(key, options?.expirationTtl)
    return env.SESSION_KV.put(key, value, options)
  },
  delete: (key) => env.SESSION_KV.delete(key),
}

adapterConformance({
  name: 'cloudflare KV',
  adapter: () => cloudflareKVAdapter(recordingKV),
  capabilities: {
    replace: false,
    compareAndSet: false,
    setIfAbsent: false,
    lock: false,
    index: false,
  },
  ttl: { mode: 'recorded', recordedTtlSeconds: (key) => recordedTtl.get(key), minimumSeconds: 60 },
})

adapterConformance({
  name: 'cloudflare KV + coordinator',
  adapter: () => cloudflareKVAdapter(recordingKV, { coordinator: env.SESSION_COORDINATOR }),
  capabilities: {
    replace: false,
    compareAndSet: true,
    setIfAbsent: true,
    lock: true,
    index: true,
  },
  ttl: { mode: 'recorded', recordedTtlSeconds: (key) => recordedTtl.get(key), minimumSeconds: 60 },
})

describe('cloudflareKVAdapter on the real binding', () => {
  it('reads back through the unwrapped binding what it wrote', async () => {
    const adapter = cloudflareKVAdapter(env.SESSION_KV)
    await adapter.set('kv:direct', '{"a":1}', { ttlSeconds: 60 })
    expect(await env.SESSION_KV.get('kv:direct')).toBe('{"a":1}')
  })
})

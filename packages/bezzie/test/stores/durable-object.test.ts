import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { type BezzieSessionStore, durableObjectAdapter } from '../../src/durable-object.ts'
import { ConfigError } from '../../src/errors.ts'
import { adapterConformance } from '../conformance/adapter-conformance.ts'

const capabilities = {
  replace: true,
  compareAndSet: true,
  setIfAbsent: true,
  lock: true,
  index: true,
}

adapterConformance({
  name: 'durable-object',
  adapter: () => durableObjectAdapter(env.SESSION_STORE),
  capabilities,
  ttl: { mode: 'observe' },
})

adapterConformance({
  name: 'durable-object (3 shards)',
  adapter: () => durableObjectAdapter(env.SESSION_STORE, { shards: 3 }),
  capabilities,
  ttl: { mode: 'observe' },
})

describe('durableObjectAdapter', () => {
  it('rejects something that is not a namespace binding', () => {
    expect(() => durableObjectAdapter({} as never)).toThrow(ConfigError)
    expect(() => durableObjectAdapter(env.SESSION_STORE, { shards: 0 })).toThrow(/shards/)
  })

  it('routes each key to the object named after the whole key: it parses no key format', async () => {
    const adapter = durableObjectAdapter(env.SESSION_STORE)
    await adapter.set('bezzie:s:routed', 'session', { ttlSeconds: 60 })
    const stub = env.SESSION_STORE.get(env.SESSION_STORE.idFromName('bezzie:s:routed'))
    await runInDurableObject(stub, (instance: BezzieSessionStore) => {
      expect(instance.get('bezzie:s:routed')).toBe('session')
    })
  })

  it('an alarm sweeps expired values, locks and index sets from storage', async () => {
    // One object of its own, driven through its RPC methods, so no other test's keys are in it.
    const stub = env.SESSION_STORE.get(env.SESSION_STORE.idFromName('alarm-sweep-test'))
    await stub.set('t:sweep', 'v', 1)
    await stub.lock('u:sweep', 100)
    await stub.indexAdd('i:sweep', 'member', 1)
    await stub.set('keep:sweep', 'kept', 3600)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    await runInDurableObject(stub, async (instance: BezzieSessionStore, state) => {
      const count = (table: string) =>
        state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n
      expect(count('bezzie_values')).toBe(1)
      expect(count('bezzie_locks')).toBe(0)
      expect(count('bezzie_index')).toBe(0)
      expect(instance.get('keep:sweep')).toBe('kept')
      // The next sweep is scheduled for the remaining value's expiry.
      expect(await state.storage.getAlarm()).toBeGreaterThan(Date.now() + 3_000_000)
    })
  })
})

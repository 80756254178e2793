import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { type BezzieSessionStore, durableObjectAdapter } from '../../src/durable-object.ts'
import { adapterConformance } from '../conformance/adapter-conformance.ts'

const capabilities = { replace: true, lock: true, index: true }

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
    expect(() => durableObjectAdapter({} as never)).toThrow(TypeError)
    expect(() => durableObjectAdapter(env.SESSION_STORE, { shards: 0 })).toThrow(/shards/)
  })

  it('keeps a session and its refresh lock in the same object', async () => {
    const adapter = durableObjectAdapter(env.SESSION_STORE)
    await adapter.set('bezzie:s:colocated', 'session', { ttlSeconds: 60 })
    const lock = await adapter.lock?.('bezzie:l:colocated', 10_000)
    const stub = env.SESSION_STORE.get(env.SESSION_STORE.idFromName('colocated'))
    await runInDurableObject(stub, (_instance, state) => {
      const tables = state.storage.sql
        .exec<{ n: number }>(
          'SELECT (SELECT COUNT(*) FROM bezzie_values) + (SELECT COUNT(*) FROM bezzie_locks) AS n',
        )
        .one()
      expect(tables.n).toBe(2)
    })
    await lock?.release()
  })

  it('an alarm sweeps expired values, locks and index sets from storage', async () => {
    const adapter = durableObjectAdapter(env.SESSION_STORE)
    await adapter.set('t:sweep', 'v', { ttlSeconds: 1 })
    await adapter.lock?.('u:sweep', 100)
    await adapter.index?.add('i:sweep', 'member', { ttlSeconds: 1 })
    await adapter.set('keep:sweep', 'kept', { ttlSeconds: 3600 })
    const stub = env.SESSION_STORE.get(env.SESSION_STORE.idFromName('sweep'))
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

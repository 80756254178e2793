import { Hono } from 'hono'
import { describe, expect, inject, it } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { type BezzieConfig, resolveConfig } from '../../src/config.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { StoreError } from '../../src/errors.ts'
import { createRuntime, type Runtime } from '../../src/runtime.ts'
import { bounded } from '../../src/session/guarded-adapter.ts'
import { touchSession } from '../../src/session/load.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { isCounted, testConfig } from '../support/config.ts'

const SECRET = 'a-secret-that-is-at-least-32-characters-long'
const later = () => Math.floor(Date.now() / 1000) + 600

function runtime(adapter: SessionAdapter, extra: Partial<BezzieConfig> = {}): Runtime {
  return createRuntime(resolveConfig(testConfig(inject('idpIssuer'), { adapter, ...extra })))
}

/** The same memory store without compare-and-set or replace: what Cloudflare KV offers. */
function plainStore(inner = new MemoryAdapter()): SessionAdapter {
  return {
    get: (k) => inner.get(k),
    set: (k, v, o) => inner.set(k, v, o),
    delete: (k) => inner.delete(k),
  }
}

describe('storage module: every adapter call bounded and typed', () => {
  it('a store call that never answers fails as StoreError after timeouts.storeMs, and the request gets 503', async () => {
    const hanging: SessionAdapter = {
      get: () => new Promise(() => {}),
      set: () => new Promise(() => {}),
      delete: () => new Promise(() => {}),
    }
    const errors: string[] = []
    const auth = createBezzie(
      testConfig(inject('idpIssuer'), {
        adapter: hanging,
        timeouts: { storeMs: 200 },
        onError: (e) => {
          if (isCounted(e)) errors.push(e.code)
        },
      }),
    )
    const app = new Hono<BezzieEnv>()
    app.route('/auth', auth.routes())
    const started = Date.now()
    const res = await app.request('https://app.bezzie.test/auth/me', {
      headers: { cookie: `__Host-session=${'a'.repeat(43)}` },
    })
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: 'store_failed' })
    expect(Date.now() - started).toBeLessThan(1500)
    expect(errors).toEqual(['store_failed'])
  })

  it('a synchronous throw inside an adapter surfaces as StoreError, not a raw error', async () => {
    const throwing: SessionAdapter = {
      get: () => {
        throw new Error('client not connected')
      },
      set: async () => {},
      delete: async () => {},
    }
    const rt = runtime(throwing)
    await expect(rt.store.read('bezzie:s:x')).rejects.toBeInstanceOf(StoreError)
  })

  it('a continuation passed to a bounded call keeps the time limit, and its own errors stay its own', async () => {
    // The session read decodes inside the bounded call's settlement (one promise fewer): a slow
    // store must still time out, a failing store must still be a StoreError, and a decoding error
    // must not be mistaken for a store failure.
    const seen: unknown[] = []
    const late = bounded(
      'read',
      50,
      () => new Promise<string>(() => {}),
      (v) => seen.push(v),
    )
    await expect(late).rejects.toMatchObject({ name: 'StoreError', code: 'store_failed' })
    expect(seen).toEqual([])
    const failed = bounded(
      'read',
      50,
      () => Promise.reject(new Error('down')),
      () => 1,
    )
    await expect(failed).rejects.toBeInstanceOf(StoreError)
    const thrown = bounded(
      'read',
      50,
      async () => 'raw',
      () => {
        throw new TypeError('bad record')
      },
    )
    await expect(thrown).rejects.toThrow(TypeError)
    await expect(thrown).rejects.not.toBeInstanceOf(StoreError)
    await expect(
      bounded(
        'read',
        50,
        async () => 'raw',
        async (v) => `${v}!`,
      ),
    ).resolves.toBe('raw!')
  })

  it('rejects a timeouts option that is not a positive number of milliseconds', () => {
    expect(() => runtime(new MemoryAdapter(), { timeouts: { storeMs: -1 } })).toThrow(
      /timeouts.storeMs/,
    )
    expect(() =>
      runtime(new MemoryAdapter(), { timeouts: { refreshMs: 1000, lockWaitMs: 2000 } }),
    ).toThrow(/lockWaitMs/)
  })
})

describe.each([
  ['compare-and-set (memory)', () => new MemoryAdapter() as SessionAdapter],
  ['no compare-and-set (KV-like: re-read before writing)', () => plainStore()],
])('records never go back in time: %s', (_name, make) => {
  it('a slide based on a read from before a refresh keeps the refreshed tokens', async () => {
    const rt = runtime(make(), { sessionTtlSeconds: 3600, touchIntervalSeconds: 1 })
    const created = rt.store.newRecord({
      user: { sub: 'u' },
      claims: { sub: 'u' },
      tokens: { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: later() },
    })
    // An old idle expiry, so that the request's slide is due.
    created.idleExpiresAt -= 600
    const { key } = await rt.store.create(created)
    const stale = await rt.store.read(key)
    if (!stale) throw new Error('no session')
    // A refresh lands between this request's read and its slide.
    await rt.store.update(stale, (r) => ({
      ...r,
      tokens: { accessToken: 'at-2', refreshToken: 'rt-2', expiresAt: later() },
    }))
    const slid = await touchSession(rt, stale)
    const stored = await rt.store.read(key)
    expect(stored?.record.tokens.refreshToken).toBe('rt-2')
    expect(slid?.record.tokens.refreshToken).toBe('rt-2')
    expect(stored?.record.idleExpiresAt).toBeGreaterThan(stale.record.idleExpiresAt)
    expect(stored?.record.rev).toBe(3)
  })

  it('an update never resurrects a session deleted meanwhile', async () => {
    const rt = runtime(make())
    const { key } = await rt.store.create(
      rt.store.newRecord({
        user: { sub: 'u' },
        claims: { sub: 'u' },
        tokens: { accessToken: 'at', expiresAt: later() },
      }),
    )
    const read = await rt.store.read(key)
    if (!read) throw new Error('no session')
    await rt.store.delete(key, read.record)
    expect(await rt.store.update(read, (r) => ({ ...r, idleExpiresAt: r.idleExpiresAt + 1 }))).toBe(
      null,
    )
    expect(await rt.store.read(key)).toBeNull()
  })
})

describe('index keys with a secret are keyed hashes', () => {
  it('a dump of the store names no user or IdP session, and revoke still finds every session', async () => {
    const adapter = new MemoryAdapter()
    const written: string[] = []
    const index = adapter.index
    const spying: SessionAdapter = {
      ...plainStore(adapter),
      index: {
        add: (k, m, o) => {
          written.push(k)
          return index.add(k, m, o)
        },
        members: (k) => index.members(k),
        remove: (k, m) => index.remove(k, m),
      },
    }
    const auth = createBezzie(testConfig(inject('idpIssuer'), { adapter: spying, secret: SECRET }))
    const user = { sub: 'alice@example.com' }
    const tokens = { accessToken: 'at', expiresAt: later() }
    await auth.sessions.create({ user, claims: { sid: 'idp-session-42' }, tokens })
    await auth.sessions.create({ user, tokens })
    expect(written.length).toBeGreaterThan(0)
    for (const key of written) {
      expect(key).not.toContain('alice')
      expect(key).not.toContain('idp-session-42')
      expect(key).toMatch(/^bezzie:i:(sub|sid):h:[\w-]{43}$/)
    }
    // Rotation: a new first secret still finds sessions indexed under the old one.
    const rotated = createBezzie(
      testConfig(inject('idpIssuer'), { adapter: spying, secret: [`${SECRET}-new`, SECRET] }),
    )
    expect(await rotated.sessions.revoke({ sub: 'alice@example.com' })).toBe(2)
    expect(await rotated.sessions.revoke({ sub: 'alice@example.com' })).toBe(0)
  })
})

describe('memory store eviction', () => {
  it('sweeps expired entries and stays within maxEntries', async () => {
    const store = new MemoryAdapter({ maxEntries: 50, sweepIntervalMs: 0 })
    for (let i = 0; i < 200; i++) await store.set(`k${i}`, 'v', { ttlSeconds: 60 })
    expect(store.size).toBeLessThanOrEqual(50)
    // The newest survive; the oldest went first.
    expect(await store.get('k199')).toBe('v')
    expect(await store.get('k0')).toBeNull()
    const short = new MemoryAdapter({ sweepIntervalMs: 0 })
    await short.set('gone', 'v', { ttlSeconds: 0.05 })
    await short.index.add('i', 'm', { ttlSeconds: 0.05 })
    await new Promise((r) => setTimeout(r, 80))
    await short.set('live', 'v', { ttlSeconds: 60 })
    expect(short.size).toBe(1)
  })
})

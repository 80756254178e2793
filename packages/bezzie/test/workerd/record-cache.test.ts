import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { cloudflareKVAdapter } from '../../src/adapters/kv.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { sessionKey } from '../../src/session/keys.ts'
import { RECORD_CACHE_SIZE } from '../../src/session/record-cache.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { testApp } from '../support/app.ts'
import { BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'
import { countingAdapter } from '../support/counting-adapter.ts'
import { login } from '../support/login.ts'

const SECRET = 's'.repeat(40)
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600
const idOf = (cookie: string) => cookie.split('=')[1] as string

/** An app whose sessions are created directly (no IdP), with `/api/whoami` behind the middleware. */
function app(adapter = new MemoryAdapter(), secret?: string) {
  const auth = createBezzie({
    issuer: env.IDP_ISSUER,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    baseUrl: BASE_URL,
    adapter,
    ...(secret ? { secret } : {}),
    onError: () => {},
  })
  const hono = new Hono<BezzieEnv>()
  hono.use('/api/*', auth.middleware())
  hono.get('/api/whoami', (c) => c.json(c.var.user))
  // An app that decorates the user object it is handed, as apps do.
  hono.get('/api/decorate', (c) => {
    c.var.user.role = 'admin'
    return c.json(c.var.user)
  })
  const get = (cookie: string, path = '/api/whoami') =>
    hono.request(`${BASE_URL}${path}`, { headers: { cookie } })
  const create = (sub: string, extra: Record<string, unknown> = {}) =>
    auth.sessions.create({
      user: { sub, ...extra },
      tokens: { accessToken: `at-${sub}`, expiresAt: inAnHour() },
    })
  return { auth, get, create, adapter }
}

describe('decoded-record cache', () => {
  it.each([
    ['plain', undefined],
    ['encrypted', SECRET],
  ])(
    'revocation stays immediate: a deleted session is refused on the very next request (%s)',
    async (_n, secret) => {
      const { get, create, adapter } = app(new MemoryAdapter(), secret)
      const { cookie, id } = await create('alice')
      for (let i = 0; i < 3; i++) expect((await get(cookie)).status).toBe(200)
      await adapter.delete(sessionKey(id))
      expect((await get(cookie)).status).toBe(401)
    },
  )

  it('a session revoked through auth.sessions.revoke is refused on the next request', async () => {
    const { auth, get, create } = app()
    const { cookie } = await auth.sessions.create({
      user: { sub: 'revoked-user' },
      claims: { sid: 'sid-1' },
      tokens: { accessToken: 'at', expiresAt: inAnHour() },
    })
    expect((await get(cookie)).status).toBe(200)
    const other = await create('someone-else')
    expect(await auth.sessions.revoke({ sub: 'revoked-user' })).toBe(1)
    expect((await get(cookie)).status).toBe(401)
    expect((await get(other.cookie)).status).toBe(200)
  })

  it('a changed stored value is decoded afresh: the cache is keyed by the exact bytes', async () => {
    const { get, create, adapter } = app()
    const { cookie, id } = await create('alice', { name: 'Alice' })
    expect(await (await get(cookie)).json()).toMatchObject({ name: 'Alice' })
    const key = sessionKey(id)
    const stored = JSON.parse((await adapter.get(key)) as string)
    stored.user.name = 'Alice Renamed'
    await adapter.set(key, JSON.stringify(stored), { ttlSeconds: 3600 })
    expect(await (await get(cookie)).json()).toMatchObject({ name: 'Alice Renamed' })
  })

  it('an expired record is refused even while its decoding is cached', async () => {
    const { get, create, adapter } = app()
    const { cookie, id } = await create('alice')
    expect((await get(cookie)).status).toBe(200)
    const key = sessionKey(id)
    const stored = JSON.parse((await adapter.get(key)) as string)
    stored.idleExpiresAt = Math.floor(Date.now() / 1000) - 1
    const expired = JSON.stringify(stored)
    await adapter.set(key, expired, { ttlSeconds: 3600 })
    expect((await get(cookie)).status).toBe(401)
    expect((await get(cookie)).status).toBe(401)
  })

  it('record swapping: a sealed value copied under another session key still does not open, cache or not', async () => {
    const { get, create, adapter } = app(new MemoryAdapter(), SECRET)
    const alice = await create('alice')
    const mallory = await create('mallory')
    expect((await get(alice.cookie)).status).toBe(200)
    expect((await get(mallory.cookie)).status).toBe(200)
    const aliceValue = (await adapter.get(sessionKey(alice.id))) as string
    await adapter.set(sessionKey(mallory.id), aliceValue, { ttlSeconds: 3600 })
    expect((await get(mallory.cookie)).status).toBe(401)
  })

  it('a cached record is not reused under other secrets: an instance without the key cannot read it', async () => {
    const adapter = new MemoryAdapter()
    const withSecret = app(adapter, SECRET)
    const { cookie } = await withSecret.create('alice')
    expect((await withSecret.get(cookie)).status).toBe(200)
    expect((await app(adapter, 'o'.repeat(40)).get(cookie)).status).toBe(401)
    expect((await app(adapter).get(cookie)).status).toBe(401)
  })

  it('an app decorating c.var.user does not leak into the next request of the session', async () => {
    const { get, create } = app()
    const { cookie } = await create('alice')
    expect(await (await get(cookie, '/api/decorate')).json()).toMatchObject({ role: 'admin' })
    expect(await (await get(cookie)).json()).not.toHaveProperty('role')
  })

  it('more sessions than the cache holds all still authenticate (oldest entries are evicted)', async () => {
    const { get, create } = app()
    const sessions = []
    for (let i = 0; i < RECORD_CACHE_SIZE + 20; i++) sessions.push(await create(`user-${i}`))
    for (const s of [sessions[0], sessions.at(-1), sessions[RECORD_CACHE_SIZE >> 1]]) {
      const res = await get((s as { cookie: string }).cookie)
      expect(res.status).toBe(200)
    }
    expect(idOf((sessions[0] as { cookie: string }).cookie)).toHaveLength(43)
  })

  it('steady state after a real login: one store read per request, no writes, on Workers KV', async () => {
    const { adapter, counts, reset } = countingAdapter(cloudflareKVAdapter(env.SESSION_KV))
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter, secret: SECRET })
    await login(browser)
    await browser.get('/api/whoami')
    reset()
    for (let i = 0; i < 5; i++) expect((await browser.get('/api/whoami')).status).toBe(200)
    expect(counts).toEqual({ get: 5, set: 0, delete: 0, replace: 0 })
  })
})

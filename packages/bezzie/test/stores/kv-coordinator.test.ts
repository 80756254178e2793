import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { importJWK, SignJWT } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import type { KVCoordinatorNamespace } from '../../src/adapters/kv-coordinated.ts'
import { BACKCHANNEL_LOGOUT_EVENT } from '../../src/backchannel/verify-logout-token.ts'
import { cloudflareKVAdapter, type KVNamespaceLike } from '../../src/cloudflare.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { type BezzieKVCoordinator, TOMBSTONE_MIN_SECONDS } from '../../src/durable-object.ts'
import { ConfigError } from '../../src/errors.ts'
import { resetRefreshState } from '../../src/refresh.ts'
import { sessionKey } from '../../src/session/keys.ts'
import { parseRecord, type SessionRecord } from '../../src/session/record.ts'
import { testApp } from '../support/app.ts'
import { testClock } from '../support/clock.ts'
import { BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'
import { laggingKV } from '../support/lagging-kv.ts'
import { idpCounts, login } from '../support/login.ts'

// Workers KV with a Durable Object coordinator (`cloudflareKVAdapter(kv, { coordinator })`), in
// workerd with the real KV and the real coordinator class. "Another location" is the same KV seen
// through laggingKV (each key reads as it did the first time that location read it, as KV's edge
// cache does for about 60 s); "another isolate" is a second bezzie instance. Faults are injected at
// the coordinator's RPC boundary (a call held back, one that never answers, one that throws).

const rotating = () => env.IDP_ROTATING_ISSUER
const refreshGrants = async (issuer: string) =>
  (await idpCounts(issuer))['grant:refresh_token'] ?? 0
const coordinated = (kv: KVNamespaceLike = env.SESSION_KV, coordinator?: KVCoordinatorNamespace) =>
  cloudflareKVAdapter(kv, { coordinator: coordinator ?? env.SESSION_COORDINATOR })
const coordinatorOf = (key: string) =>
  env.SESSION_COORDINATOR.get(env.SESSION_COORDINATOR.idFromName(key))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(() => resetRefreshState())

type Mode = 'ok' | 'hang' | 'throw'

/**
 * The coordinator binding behind a switch: `ok` passes every call through, `hang` never answers,
 * `throw` fails at once (the object unreachable). `hold(method)` holds the next call of `method`
 * until `release()`, resolving `arrived` when it is held.
 */
function coordinatorFault() {
  const real = env.SESSION_COORDINATOR
  let mode: Mode = 'ok'
  let heldMethod: string | undefined
  let release: () => void = () => {}
  let arrived: Promise<void> = Promise.resolve()
  const namespace: KVCoordinatorNamespace = {
    idFromName: (name) => real.idFromName(name),
    get(id) {
      const stub = real.get(id as DurableObjectId) as unknown as Record<
        string,
        (...args: unknown[]) => Promise<unknown>
      >
      return new Proxy({} as ReturnType<KVCoordinatorNamespace['get']>, {
        get(_target, method: string) {
          return async (...args: unknown[]) => {
            if (mode === 'hang') return new Promise(() => {})
            if (mode === 'throw') throw new Error('coordinator unreachable (injected)')
            if (method === heldMethod) {
              heldMethod = undefined
              const gate = new Promise<void>((resolve) => {
                release = resolve
              })
              arrivedResolve()
              await gate
            }
            return stub[method]?.(...args)
          }
        },
      })
    },
  }
  let arrivedResolve: () => void = () => {}
  return {
    namespace,
    set mode(next: Mode) {
      mode = next
    },
    hold(method: string) {
      heldMethod = method
      arrived = new Promise((resolve) => {
        arrivedResolve = resolve
      })
    },
    get arrived() {
      return arrived
    },
    release: () => release(),
  }
}

async function storedIn(adapter: Pick<SessionAdapter, 'get'>, key: string) {
  const raw = await adapter.get(key)
  return raw === null ? null : (parseRecord(raw) as SessionRecord)
}

const whoami = (app: { fetch(r: Request): Response | Promise<Response> }, cookie: string) =>
  app.fetch(new Request(`${BASE_URL}/api/whoami`, { headers: { cookie } }))

describe('BezzieKVCoordinator', () => {
  it('a tombstone refuses every compare-and-set and every adoption; only a new set clears it', async () => {
    const key = `coord:tombstone:${crypto.randomUUID()}`
    const stub = coordinatorOf(key)
    await stub.set(key, 'v1', 60)
    expect(await stub.compareAndSwap(key, 'v1', 'v2', 60)).toEqual({ state: 'written' })
    expect(await stub.compareAndSwap(key, 'v1', 'v3', 60)).toEqual({ state: 'live', value: 'v2' })
    await stub.delete(key)
    expect(await stub.latest(key)).toEqual({ state: 'gone' })
    expect(await stub.compareAndSwap(key, 'v2', 'v4', 60)).toEqual({ state: 'gone' })
    expect(await stub.adopt(key, 'v2', 60)).toEqual({ state: 'gone' })
    expect(await stub.get(key)).toBeNull()
    await stub.set(key, 'v5', 60)
    expect(await stub.latest(key)).toEqual({ state: 'live', value: 'v5' })
  })

  it(`keeps a tombstone as long as the value could have lived, and at least ${TOMBSTONE_MIN_SECONDS} s`, async () => {
    const key = `coord:tombstone-ttl:${crypto.randomUUID()}`
    const stub = coordinatorOf(key)
    await stub.set(key, 'long-lived', 30 * 86_400)
    await stub.delete(key)
    await runInDurableObject(stub, (_instance: BezzieKVCoordinator, state) => {
      const row = state.storage.sql
        .exec<{ expires_at: number }>('SELECT expires_at FROM bezzie_tombstones WHERE key = ?', key)
        .one()
      expect(row.expires_at).toBeGreaterThan(Date.now() + 29 * 86_400_000)
    })
    const short = `coord:tombstone-short:${crypto.randomUUID()}`
    await coordinatorOf(short).delete(short)
    await runInDurableObject(coordinatorOf(short), (_instance: BezzieKVCoordinator, state) => {
      const row = state.storage.sql
        .exec<{ expires_at: number }>(
          'SELECT expires_at FROM bezzie_tombstones WHERE key = ?',
          short,
        )
        .one()
      expect(row.expires_at).toBeGreaterThan(Date.now() + (TOMBSTONE_MIN_SECONDS - 60) * 1000)
    })
  })

  it('an unknown key is adopted once; a live value wins over a later adoption', async () => {
    const key = `coord:adopt:${crypto.randomUUID()}`
    const stub = coordinatorOf(key)
    expect(await stub.latest(key)).toEqual({ state: 'unknown' })
    expect(await stub.adopt(key, 'from-kv', 60)).toEqual({ state: 'live', value: 'from-kv' })
    expect(await stub.adopt(key, 'older-copy', 60)).toEqual({ state: 'live', value: 'from-kv' })
  })
})

describe('cloudflareKVAdapter(kv, { coordinator })', () => {
  it('rejects a coordinator that is not a Durable Object namespace binding', () => {
    expect(() => cloudflareKVAdapter(env.SESSION_KV, { coordinator: {} as never })).toThrow(
      ConfigError,
    )
  })

  it('hands out one adapter per KV binding and coordinator (the createBezzie memo hits)', () => {
    expect(coordinated()).toBe(coordinated())
    expect(coordinated()).not.toBe(cloudflareKVAdapter(env.SESSION_KV))
  })

  it('reads from KV, and getLatest from the coordinator when this location lags', async () => {
    const key = `coord:latest:${crypto.randomUUID()}`
    const there = laggingKV(env.SESSION_KV)
    const here = coordinated()
    const elsewhere = coordinated(there)
    await here.set(key, 'v1', { ttlSeconds: 60 })
    expect(await elsewhere.get(key)).toBe('v1')
    expect(await here.compareAndSet?.(key, 'v1', 'v2', { ttlSeconds: 60 })).toBe(true)
    expect(await elsewhere.get(key)).toBe('v1')
    expect(await elsewhere.getLatest?.(key)).toBe('v2')
  })

  it('adopts a value written to KV before the coordinator was configured: no one is logged out by switching it on', async () => {
    const key = `coord:migrate:${crypto.randomUUID()}`
    await cloudflareKVAdapter(env.SESSION_KV).set(key, 'before', { ttlSeconds: 60 })
    const adapter = coordinated()
    expect(await adapter.compareAndSet?.(key, 'stale', 'x', { ttlSeconds: 60 })).toBe(false)
    expect(await adapter.compareAndSet?.(key, 'before', 'after', { ttlSeconds: 60 })).toBe(true)
    expect(await env.SESSION_KV.get(key)).toBe('after')
    expect(await adapter.getLatest?.(key)).toBe('after')
  })

  it('logout resurrection via a write that reaches KV after the logout: the KV copy is deleted again', async () => {
    const key = `coord:late-put:${crypto.randomUUID()}`
    let holdPut: Promise<void> | undefined
    let putHeld: () => void = () => {}
    let releasePut: () => void = () => {}
    const slowKV: KVNamespaceLike = {
      get: (k) => env.SESSION_KV.get(k),
      async put(k, value, options) {
        if (holdPut) {
          putHeld()
          await holdPut
        }
        return env.SESSION_KV.put(k, value, options)
      },
      delete: (k) => env.SESSION_KV.delete(k),
    }
    const writer = coordinated(slowKV)
    const logout = coordinated()
    await logout.set(key, 'v1', { ttlSeconds: 60 })
    const held = new Promise<void>((resolve) => {
      putHeld = resolve
    })
    holdPut = new Promise<void>((resolve) => {
      releasePut = resolve
    })
    // The writer's compare-and-set is committed in the coordinator; its KV write is on its way.
    const write = writer.compareAndSet?.(key, 'v1', 'v2', { ttlSeconds: 60 })
    await held
    await logout.delete(key)
    holdPut = undefined
    releasePut()
    expect(await write).toBe(true)
    expect(await env.SESSION_KV.get(key)).toBeNull()
    expect(await logout.getLatest?.(key)).toBeNull()
  })
})

describe('KV + coordinator: the races of plain KV made harmless', () => {
  it('logout resurrection via a concurrent refresh on another isolate in another location: the refresh lands after the logout and writes nothing', async () => {
    const clock = testClock({ frozen: true })
    const fault = coordinatorFault()
    const b = testApp({
      issuer: rotating(),
      adapter: coordinated(),
      refreshBufferSeconds: 1,
      now: clock.now,
    })
    await login(b.browser)
    const cookie = b.browser.cookieHeader()
    const key = sessionKey(b.browser.cookies.get('__Host-session') as string)
    // Isolate a, elsewhere: its KV copy of the session never changes for the whole test.
    const a = testApp({
      issuer: rotating(),
      adapter: coordinated(laggingKV(env.SESSION_KV), fault.namespace),
      refreshBufferSeconds: 1,
      now: clock.now,
    })
    expect((await whoami(a.app, cookie)).status).toBe(200)
    clock.advance(1200)
    const grantsBefore = await refreshGrants(rotating())
    // a refreshes; its write of the new tokens is held at the coordinator until b's logout is done.
    fault.hold('compareAndSwap')
    const refreshing = whoami(a.app, cookie)
    await fault.arrived
    const out = await b.browser.post('/auth/logout')
    expect(out.status).toBe(303)
    fault.release()
    const res = await refreshing
    expect(res.status).toBe(401)
    expect(await refreshGrants(rotating())).toBe(grantsBefore + 1)
    // Nothing came back: not in KV, not in the coordinator, not for b, not for a.
    expect(await env.SESSION_KV.get(key)).toBeNull()
    expect(await coordinatorOf(key).latest(key)).toEqual({ state: 'gone' })
    expect((await whoami(b.app, cookie)).status).toBe(401)
    clock.advance(1200)
    expect((await whoami(a.app, cookie)).status).toBe(401)
  })

  it('logout resurrection via a stale KV copy in another location: a refresh there consults the tombstone, calls no IdP and ends the session', async () => {
    const clock = testClock({ frozen: true })
    const b = testApp({
      issuer: rotating(),
      adapter: coordinated(),
      refreshBufferSeconds: 1,
      now: clock.now,
    })
    await login(b.browser)
    const cookie = b.browser.cookieHeader()
    const key = sessionKey(b.browser.cookies.get('__Host-session') as string)
    const a = testApp({
      issuer: rotating(),
      adapter: coordinated(laggingKV(env.SESSION_KV)),
      refreshBufferSeconds: 1,
      now: clock.now,
    })
    expect((await whoami(a.app, cookie)).status).toBe(200)
    expect((await b.browser.post('/auth/logout')).status).toBe(303)
    // The documented limit: until KV propagates the delete, a's location still reads the session.
    expect((await whoami(a.app, cookie)).status).toBe(200)
    clock.advance(1200)
    const grantsBefore = await refreshGrants(rotating())
    const res = await whoami(a.app, cookie)
    expect(res.status).toBe(401)
    expect(await refreshGrants(rotating())).toBe(grantsBefore)
    expect(await env.SESSION_KV.get(key)).toBeNull()
    expect(await coordinatorOf(key).latest(key)).toEqual({ state: 'gone' })
  })

  it('logout resurrection via a slide in another location: the slide finds the tombstone, writes nothing and signs the request out', async () => {
    const b = testApp({ issuer: env.IDP_ISSUER, adapter: coordinated() })
    await login(b.browser)
    const cookie = b.browser.cookieHeader()
    const key = sessionKey(b.browser.cookies.get('__Host-session') as string)
    const a = testApp({
      issuer: env.IDP_ISSUER,
      adapter: coordinated(laggingKV(env.SESSION_KV)),
      touchIntervalSeconds: 0,
    })
    expect((await whoami(a.app, cookie)).status).toBe(200)
    expect((await b.browser.post('/auth/logout')).status).toBe(303)
    // Past the next whole second, so that a's slide is due.
    await sleep(1100)
    expect((await whoami(a.app, cookie)).status).toBe(401)
    expect(await env.SESSION_KV.get(key)).toBeNull()
    expect(await coordinatorOf(key).latest(key)).toEqual({ state: 'gone' })
  })

  it('a slide in a location whose KV copy predates a refresh never writes back the old tokens', async () => {
    // b refreshes on every request (a buffer longer than the token); a only slides.
    const b = testApp({ issuer: env.IDP_ISSUER, adapter: coordinated(), refreshBufferSeconds: 400 })
    await login(b.browser)
    const cookie = b.browser.cookieHeader()
    const key = sessionKey(b.browser.cookies.get('__Host-session') as string)
    const a = testApp({
      issuer: env.IDP_ISSUER,
      adapter: coordinated(laggingKV(env.SESSION_KV)),
      touchIntervalSeconds: 0,
    })
    expect((await whoami(a.app, cookie)).status).toBe(200)
    const before = await storedIn(env.SESSION_KV, key)
    expect((await whoami(b.app, cookie)).status).toBe(200)
    const refreshed = await storedIn(env.SESSION_KV, key)
    expect(refreshed?.tokens.accessToken).not.toBe(before?.tokens.accessToken)
    await sleep(1100)
    expect((await whoami(a.app, cookie)).status).toBe(200)
    const after = await storedIn(env.SESSION_KV, key)
    expect(after?.tokens).toEqual(refreshed?.tokens)
    expect(after?.idleExpiresAt).toBeGreaterThan(refreshed?.idleExpiresAt ?? Infinity)
    expect(after?.rev).toBe((refreshed?.rev ?? 0) + 1)
    const latest = await coordinatorOf(key).latest(key)
    expect(latest.state === 'live' && parseRecord(latest.value)?.tokens).toEqual(refreshed?.tokens)
  })
})

describe('KV + coordinator unreachable: bounded, 503, never a logout or a 500', () => {
  it.each([
    ['never answers', 'hang'],
    ['throws', 'throw'],
  ] as const)(
    'the coordinator %s: steady requests still succeed from KV, a due refresh answers 503 within the store bound, the session survives and recovers',
    async (_name, mode) => {
      const clock = testClock({ frozen: true })
      const fault = coordinatorFault()
      const storeMs = 300
      const { app, browser, errors } = testApp({
        issuer: rotating(),
        adapter: coordinated(env.SESSION_KV, fault.namespace),
        refreshBufferSeconds: 1,
        now: clock.now,
        timeouts: { storeMs },
      })
      await login(browser)
      const cookie = browser.cookieHeader()
      const key = sessionKey(browser.cookies.get('__Host-session') as string)
      fault.mode = mode
      // The hot path never touches the coordinator.
      expect((await whoami(app, cookie)).status).toBe(200)
      clock.advance(1200)
      const started = Date.now()
      const res = await whoami(app, cookie)
      const elapsed = Date.now() - started
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
      expect(res.headers.getSetCookie().join()).not.toMatch(/__Host-session=;|max-age=0/i)
      // One store call's bound, plus slack for a loaded machine; without the bound it never ends.
      expect(elapsed).toBeLessThan(storeMs + 5_000)
      expect(errors.map((e) => e.code)).toContain('store_failed')
      expect(await env.SESSION_KV.get(key)).not.toBeNull()
      fault.mode = 'ok'
      expect((await whoami(app, cookie)).status).toBe(200)
      // Logout cannot put its tombstone down: 503, and the cookie stays for a retry.
      fault.mode = mode
      const out = await browser.post('/auth/logout')
      expect(out.status).toBe(503)
      expect(browser.cookies.get('__Host-session')).toBeDefined()
      fault.mode = 'ok'
      expect((await browser.post('/auth/logout')).status).toBe(303)
      expect(await env.SESSION_KV.get(key)).toBeNull()
    },
  )
})

describe('your devices and back-channel logout on KV + coordinator', () => {
  function bezzie(adapter: SessionAdapter, issuer = env.IDP_ISSUER, backchannelLogout = false) {
    const auth = createBezzie({
      issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      baseUrl: BASE_URL,
      adapter,
      backchannelLogout,
    })
    const app = auth.routes()
    const create = async (sub: string, sid: string) =>
      (
        await auth.sessions.create({
          user: { sub },
          claims: { sub, sid },
          tokens: { accessToken: 'opaque', expiresAt: Math.floor(Date.now() / 1000) + 3600 },
        })
      ).cookie
    const signedIn = async (cookie: string) =>
      ((await (await app.request('/me', { headers: { cookie } })).json()) as { user: unknown })
        .user !== null
    return { auth, app, create, signedIn }
  }

  it('lists a user’s sessions and revokes one device, then the rest, through the coordinator’s index', async () => {
    const { auth, create, signedIn } = bezzie(coordinated())
    const user = `user-${crypto.randomUUID()}`
    const phone = await create(user, `${user}-sid-1`)
    const laptop = await create(user, `${user}-sid-2`)
    const stranger = await create(`other-${user}`, `${user}-sid-3`)
    const devices = await auth.sessions.list({ sub: user })
    expect(devices).toHaveLength(2)
    const first = devices[0]
    if (!first) throw new Error('no device')
    expect(await auth.sessions.revoke({ sub: user, id: first.id })).toBe(1)
    expect(await auth.sessions.list({ sub: user })).toHaveLength(1)
    expect([await signedIn(phone), await signedIn(laptop)].filter(Boolean)).toHaveLength(1)
    expect(await auth.sessions.revoke({ sub: user })).toBe(1)
    expect([await signedIn(phone), await signedIn(laptop)]).toEqual([false, false])
    expect(await signedIn(stranger)).toBe(true)
    expect(await auth.sessions.list({ sub: user })).toEqual([])
  })

  it('a device revoked in one location is gone from the list another location shows, though its KV lags', async () => {
    const user = `user-${crypto.randomUUID()}`
    const here = bezzie(coordinated())
    const there = bezzie(coordinated(laggingKV(env.SESSION_KV)))
    await here.create(user, `${user}-sid-1`)
    await here.create(user, `${user}-sid-2`)
    expect(await there.auth.sessions.list({ sub: user })).toHaveLength(2)
    expect(await here.auth.sessions.revoke({ sid: `${user}-sid-1` })).toBe(1)
    expect(await there.auth.sessions.list({ sub: user })).toHaveLength(1)
  })

  it('back-channel logout: a logout token signed by the IdP deletes the sessions of its sid, and a replay is refused', async () => {
    const { app, create, signedIn } = bezzie(coordinated(), env.LOGOUT_ISSUER, true)
    const user = `user-${crypto.randomUUID()}`
    const ended = await create(user, `${user}-sid-1`)
    const kept = await create(user, `${user}-sid-2`)
    const key = await importJWK(JSON.parse(env.LOGOUT_SIGNING_JWK), 'RS256')
    const token = await new SignJWT({
      iss: env.LOGOUT_ISSUER,
      aud: CLIENT_ID,
      iat: Math.floor(Date.now() / 1000),
      jti: crypto.randomUUID(),
      sid: `${user}-sid-1`,
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'logout+jwt' })
      .sign(key)
    const post = () =>
      app.request('/backchannel-logout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }).toString(),
      })
    expect((await post()).status).toBe(200)
    expect(await signedIn(ended)).toBe(false)
    expect(await signedIn(kept)).toBe(true)
    // The jti was recorded once, in the coordinator.
    expect((await post()).status).toBe(400)
  })
})

describe('the browser view', () => {
  it('a full login, refresh and logout on KV + coordinator at a rotating IdP', async () => {
    const clock = testClock({ frozen: true })
    const { browser } = testApp({
      issuer: rotating(),
      adapter: coordinated(),
      refreshBufferSeconds: 1,
      now: clock.now,
    })
    await login(browser)
    expect((await browser.get('/api/whoami')).status).toBe(200)
    clock.advance(1200)
    expect((await browser.get('/api/whoami')).status).toBe(200)
    expect((await browser.post('/auth/logout')).status).toBe(303)
    expect((await browser.get('/api/whoami')).status).toBe(401)
  })
})

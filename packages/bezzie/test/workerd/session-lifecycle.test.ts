import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { cloudflareKVAdapter } from '../../src/adapters/kv.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { StoreError } from '../../src/errors.ts'
import { sessionKey } from '../../src/session/keys.ts'
import { parseRecord, type SessionRecord } from '../../src/session/record.ts'
import type { BezzieOptionalEnv } from '../../src/types.ts'
import { testApp } from '../support/app.ts'
import { Browser } from '../support/browser.ts'
import { testConfig } from '../support/config.ts'
import { BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'
import { countingAdapter } from '../support/counting-adapter.ts'
import { login } from '../support/login.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('steady state', () => {
  it.each([
    ['without a secret', undefined],
    ['with a secret (encrypted records)', 'k'.repeat(40)],
  ])(
    'an authenticated request makes 0 IdP calls, 1 store read and 0 store writes — even with createBezzie per request (%s)',
    async (_n, secret) => {
      const { adapter, counts, reset } = countingAdapter(cloudflareKVAdapter(env.SESSION_KV))
      const perRequest = () => testApp({ issuer: env.IDP_ISSUER, adapter, secret })
      const browser = new Browser((req) => perRequest().app.fetch(req))
      await login(browser)
      await browser.get('/api/whoami')
      const fetchSpy = vi.spyOn(globalThis, 'fetch')
      reset()
      for (let i = 0; i < 5; i++) expect((await browser.get('/api/whoami')).status).toBe(200)
      expect(fetchSpy).not.toHaveBeenCalled()
      expect(counts).toEqual({ get: 5, set: 0, delete: 0, replace: 0 })
    },
  )

  it('slides the idle expiry at most once per touchIntervalSeconds', async () => {
    const { adapter, counts, reset } = countingAdapter(new MemoryAdapter())
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter,
      sessionTtlSeconds: 600,
      touchIntervalSeconds: 1,
    })
    await login(browser)
    const first = (await (await browser.get('/auth/me')).json()) as {
      session: { expiresAt: number }
    }
    await new Promise((r) => setTimeout(r, 2100))
    reset()
    const noSlide = (await (await browser.get('/auth/me?slide=false')).json()) as typeof first
    expect(noSlide.session.expiresAt).toBe(first.session.expiresAt)
    expect(counts.replace + counts.set).toBe(0)
    const slid = (await (await browser.get('/auth/me')).json()) as typeof first
    expect(slid.session.expiresAt).toBeGreaterThan(first.session.expiresAt)
    expect(counts.replace + counts.set).toBe(1)
    await browser.get('/auth/me')
    expect(counts.replace + counts.set).toBe(1)
  })
})

describe('absolute lifetime', () => {
  /** Rewrites the stored (secret-less) record of `cookie` through `change`. */
  async function rewrite(
    adapter: MemoryAdapter,
    cookie: string,
    change: (r: SessionRecord) => void,
  ) {
    const key = await sessionKey(cookie.split('=')[1] as string)
    const record = parseRecord((await adapter.get(key)) as string) as SessionRecord
    change(record)
    await adapter.set(key, JSON.stringify(record), { ttlSeconds: 3600 })
  }

  it('a session past its absolute lifetime is over, however recently it was used', async () => {
    const adapter = new MemoryAdapter()
    const { auth, browser } = testApp({ issuer: env.IDP_ISSUER, adapter })
    const { cookie } = await auth.sessions.create({
      user: { sub: 'u' },
      tokens: { accessToken: 'at', expiresAt: Math.floor(Date.now() / 1000) + 600 },
    })
    expect((await browser.request('/api/whoami', { headers: { cookie } })).status).toBe(200)
    const now = Math.floor(Date.now() / 1000)
    await rewrite(adapter, cookie, (r) => {
      r.idleExpiresAt = now + 3000
      r.absoluteExpiresAt = now - 1
    })
    expect((await browser.request('/api/whoami', { headers: { cookie } })).status).toBe(401)
    const me = await browser.request('/auth/me', { headers: { cookie } })
    expect(await me.json()).toEqual({ user: null })
  })

  it('sliding never extends the idle expiry beyond the absolute one', async () => {
    const adapter = new MemoryAdapter()
    const { auth, browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter,
      sessionTtlSeconds: 600,
      touchIntervalSeconds: 1,
    })
    const { cookie } = await auth.sessions.create({
      user: { sub: 'u' },
      tokens: { accessToken: 'at', expiresAt: Math.floor(Date.now() / 1000) + 600 },
    })
    const absolute = Math.floor(Date.now() / 1000) + 120
    await rewrite(adapter, cookie, (r) => {
      r.idleExpiresAt = absolute - 100
      r.absoluteExpiresAt = absolute
    })
    const me = await browser.request('/auth/me', { headers: { cookie } })
    const body = (await me.json()) as { session: { expiresAt: number; absoluteExpiresAt: number } }
    expect(body.session).toEqual({ expiresAt: absolute, absoluteExpiresAt: absolute })
  })
})

describe('/me', () => {
  it('returns { user, session } with epoch-second expiries, and never a token', async () => {
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter() })
    await login(browser)
    const res = await browser.get('/auth/me')
    expect(res.headers.get('cache-control')).toBe('no-store')
    const text = await res.text()
    expect(text).not.toMatch(/eyJ|token/i)
    const body = JSON.parse(text)
    expect(Object.keys(body).sort()).toEqual(['session', 'user'])
    expect(Object.keys(body.session).sort()).toEqual(['absoluteExpiresAt', 'expiresAt'])
    expect(Number.isInteger(body.session.expiresAt)).toBe(true)
  })
})

describe('hooks', () => {
  it('mapClaims shapes c.var.user; onLogin sees it', async () => {
    const seen: string[] = []
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      mapClaims: (claims) => ({ sub: String(claims.sub), display: `User ${String(claims.name)}` }),
      onLogin: ({ user }) => {
        seen.push(String(user.display))
      },
    })
    await login(browser)
    const me = (await (await browser.get('/api/whoami')).json()) as {
      user: Record<string, unknown>
    }
    expect(me.user.display).toMatch(/^User /)
    expect(Object.keys(me.user).sort()).toEqual(['display', 'sub'])
    expect(seen).toHaveLength(1)
  })

  it.each([
    ['onLogin', { onLogin: () => Promise.reject(new Error('banned')) }],
    [
      'mapClaims',
      {
        mapClaims: () => {
          throw new Error('bad claims')
        },
      },
    ],
  ])('%s throwing aborts the login and leaves no session behind', async (_hook, hooks) => {
    const adapter = new MemoryAdapter()
    const { browser, errors } = testApp({ issuer: env.IDP_ISSUER, adapter, ...hooks })
    const { response } = await login(browser)
    expect(response.status).toBe(500)
    expect(await response.json()).toMatchObject({ error: 'login_hook_failed' })
    expect(browser.cookies.has('__Host-session')).toBe(false)
    expect(errors.map((e) => e.code)).toContain('login_hook_failed')
  })

  it('onLogout and onRefresh are called', async () => {
    const events: string[] = []
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      refreshBufferSeconds: 3600,
      onRefresh: ({ user }) => {
        events.push(`refresh:${user.sub}`)
      },
      onLogout: ({ user }) => {
        events.push(`logout:${user.sub}`)
      },
    })
    await login(browser)
    await browser.get('/api/whoami')
    await browser.post('/auth/logout')
    expect(events).toHaveLength(2)
    expect(events[0]).toMatch(/^refresh:/)
    expect(events[1]).toMatch(/^logout:/)
  })
})

describe('logout', () => {
  it('revokes the refresh token at the IdP before deleting the session', async () => {
    const adapter = new MemoryAdapter()
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter })
    await login(browser)
    const id = browser.cookies.get('__Host-session') as string
    const { sessionKey } = await import('../../src/session/keys.ts')
    const record = JSON.parse((await adapter.get(await sessionKey(id))) as string)
    const refreshToken = record.tokens.refreshToken as string
    expect((await browser.post('/auth/logout')).status).toBe(303)
    const res = await fetch(`${env.IDP_ISSUER}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant')
  })

  it('order: the revocation request happens before the session is deleted from the store', async () => {
    const inner = new MemoryAdapter()
    const events: string[] = []
    const adapter: SessionAdapter = {
      get: (key) => inner.get(key),
      set: (key, value, options) => inner.set(key, value, options),
      replace: (key, value, options) => inner.replace(key, value, options),
      delete: (key) => {
        events.push('store.delete')
        return inner.delete(key)
      },
    }
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter })
    await login(browser)
    events.length = 0
    const realFetch = globalThis.fetch
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (url.includes('/token/revocation')) events.push('idp.revoke')
      return realFetch(input, init)
    })
    expect((await browser.post('/auth/logout')).status).toBe(303)
    expect(events).toEqual(['idp.revoke', 'store.delete'])
  })

  it('a logout without a session still clears the cookie and lands on baseUrl', async () => {
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter() })
    browser.cookies.set('__Host-session', 'x'.repeat(43))
    const res = await browser.post('/auth/logout')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${BASE_URL}/`)
    expect(browser.cookies.has('__Host-session')).toBe(false)
  })
})

describe('optionalMiddleware', () => {
  it('never blocks: user is null when signed out and set when signed in', async () => {
    const auth = createBezzie(testConfig(env.IDP_ISSUER))
    const app = new Hono<BezzieOptionalEnv>()
    app.use('*', auth.optionalMiddleware())
    app.get('/', (c) => c.json({ sub: c.var.user?.sub ?? null, token: c.var.accessToken !== null }))
    expect(await (await app.request(`${BASE_URL}/`)).json()).toEqual({ sub: null, token: false })
    const { cookie } = await auth.sessions.create({
      user: { sub: 'seeded' },
      tokens: { accessToken: 'at', expiresAt: Math.floor(Date.now() / 1000) + 600 },
    })
    const res = await app.request(`${BASE_URL}/`, { headers: { cookie } })
    expect(await res.json()).toEqual({ sub: 'seeded', token: true })
  })
})

describe('auth.sessions', () => {
  it('create() returns an id and a Cookie header value that authenticates', async () => {
    const { auth, browser } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter() })
    const created = await auth.sessions.create({
      user: { sub: 'u-1', name: 'Seeded User' },
      tokens: { accessToken: 'at', expiresAt: Math.floor(Date.now() / 1000) + 600 },
    })
    expect(created.id).toMatch(/^[\w-]{43}$/)
    expect(created.cookie).toBe(`__Host-session=${created.id}`)
    const res = await browser.request('/api/whoami', { headers: { cookie: created.cookie } })
    expect(await res.json()).toEqual({ user: { sub: 'u-1', name: 'Seeded User' }, hasToken: true })
  })

  it('revoke() refuses an empty or ambiguous selector instead of guessing', async () => {
    const { auth } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter() })
    const tokens = { accessToken: 'at', expiresAt: Math.floor(Date.now() / 1000) + 600 }
    const kept = await auth.sessions.create({
      user: { sub: 'u-9' },
      claims: { sid: 's-9' },
      tokens,
    })
    for (const bad of [{}, { sub: '' }, { sid: 's-9', sub: 'u-9' }, null]) {
      await expect(auth.sessions.revoke(bad as never)).rejects.toThrow(TypeError)
    }
    expect(kept.id).toBeTruthy()
    expect(await auth.sessions.revoke({ sid: 's-9' })).toBe(1)
  })

  it('revoke() deletes every session of a sub when the adapter has an index', async () => {
    const { auth, browser } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter() })
    const tokens = { accessToken: 'at', expiresAt: Math.floor(Date.now() / 1000) + 600 }
    const a = await auth.sessions.create({ user: { sub: 'u-2' }, tokens })
    const b = await auth.sessions.create({ user: { sub: 'u-2' }, tokens })
    const other = await auth.sessions.create({ user: { sub: 'u-3' }, tokens })
    expect(await auth.sessions.revoke({ sub: 'u-2' })).toBe(2)
    for (const s of [a, b]) {
      expect((await browser.request('/api/whoami', { headers: { cookie: s.cookie } })).status).toBe(
        401,
      )
    }
    expect(
      (await browser.request('/api/whoami', { headers: { cookie: other.cookie } })).status,
    ).toBe(200)
  })

  it('revoke() without an index throws session_index_unsupported', async () => {
    const { auth } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: cloudflareKVAdapter(env.SESSION_KV),
    })
    await expect(auth.sessions.revoke({ sid: 'x' })).rejects.toSatisfy(
      (e) => e instanceof StoreError && e.code === 'session_index_unsupported',
    )
  })
})

import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import type { BezzieOptionalEnv } from '../../src/types.ts'
import { testApp } from '../support/app.ts'
import { login } from '../support/login.ts'

/** A memory store that can be switched to failing on every call, like a store outage. */
function flakyStore() {
  const inner = new MemoryAdapter()
  const state = { down: false }
  const guard = <T>(op: () => Promise<T>) =>
    state.down ? Promise.reject(new Error('ECONNRESET')) : op()
  const adapter: SessionAdapter = {
    get: (k) => guard(() => inner.get(k)),
    set: (k, v, o) => guard(() => inner.set(k, v, o)),
    delete: (k) => guard(() => inner.delete(k)),
    replace: (k, v, o) => guard(() => inner.replace(k, v, o)),
    lock: (k, ttl) => guard(() => inner.lock(k, ttl)),
  }
  return { adapter, state }
}

describe('session store outage', () => {
  it('answers 503 store_failed (never a 500) on every route, and recovers', async () => {
    const { adapter, state } = flakyStore()
    const { auth, browser, errors } = testApp({
      issuer: env.IDP_ISSUER,
      adapter,
      refreshBufferSeconds: 3600,
    })
    const { cookie } = await auth.sessions.create({
      user: { sub: 'u' },
      tokens: {
        accessToken: 'at',
        refreshToken: 'rt',
        expiresAt: Math.floor(Date.now() / 1000) + 600,
      },
    })
    state.down = true
    const headers = { cookie }
    for (const path of ['/auth/me', '/api/whoami', '/auth/login']) {
      const res = await browser.get(path, headers)
      expect(res.status, path).toBe(503)
      expect(await res.json()).toMatchObject({ error: 'store_failed' })
    }
    expect(errors.every((e) => e.code === 'store_failed')).toBe(true)
    state.down = false
    expect((await browser.get('/auth/me', headers)).status).toBe(200)
  })

  it('logout with the store down answers 503 and keeps the cookie, so a retry really logs out', async () => {
    const { adapter, state } = flakyStore()
    const { auth, browser, errors } = testApp({ issuer: env.IDP_ISSUER, adapter })
    const { id, cookie } = await auth.sessions.create({
      user: { sub: 'u' },
      tokens: { accessToken: 'at', expiresAt: Math.floor(Date.now() / 1000) + 600 },
    })
    browser.cookies.set('__Host-session', id)
    state.down = true
    const failed = await browser.post('/auth/logout')
    expect(failed.status).toBe(503)
    expect(await failed.json()).toMatchObject({ error: 'store_failed' })
    expect(browser.cookies.get('__Host-session')).toBe(id)
    expect(errors.map((e) => e.code)).toEqual(['store_failed'])
    state.down = false
    expect((await browser.post('/auth/logout')).status).toBe(303)
    expect(browser.cookies.has('__Host-session')).toBe(false)
    expect((await browser.request('/api/whoami', { headers: { cookie } })).status).toBe(401)
  })

  it('logout whose session delete fails answers 503 + Retry-After and keeps the cookie, so a retry ends the session', async () => {
    // Only delete fails, at the adapter's network boundary: the read before it succeeds.
    const inner = new MemoryAdapter()
    const state = { deleteDown: false }
    const adapter: SessionAdapter = {
      get: (k) => inner.get(k),
      set: (k, v, o) => inner.set(k, v, o),
      delete: (k) => (state.deleteDown ? Promise.reject(new Error('ECONNRESET')) : inner.delete(k)),
    }
    const { browser, errors } = testApp({ issuer: env.IDP_ISSUER, adapter })
    await login(browser)
    const id = browser.cookies.get('__Host-session') as string
    expect(id).toBeTruthy()
    state.deleteDown = true
    const failed = await browser.post('/auth/logout')
    expect(failed.status).toBe(503)
    expect(failed.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await failed.json()).toMatchObject({ error: 'store_failed' })
    expect(failed.headers.getSetCookie().join('\n')).not.toMatch(/__Host-session=;/)
    expect(browser.cookies.get('__Host-session')).toBe(id)
    expect(errors.map((e) => e.code)).toContain('store_failed')
    state.deleteDown = false
    const retry = await browser.post('/auth/logout')
    expect(retry.status).toBe(303)
    expect(browser.cookies.has('__Host-session')).toBe(false)
    expect((await browser.get('/api/whoami', { cookie: `__Host-session=${id}` })).status).toBe(401)
  })

  it('optionalMiddleware never blocks: with the store down the user is null (reported), not 503', async () => {
    const { adapter, state } = flakyStore()
    const { auth, errors } = testApp({ issuer: env.IDP_ISSUER, adapter })
    const { cookie } = await auth.sessions.create({
      user: { sub: 'u' },
      tokens: { accessToken: 'at', expiresAt: Math.floor(Date.now() / 1000) + 600 },
    })
    const app = new Hono<BezzieOptionalEnv>()
    app.use('*', auth.optionalMiddleware())
    app.get('/page', (c) => c.json({ sub: c.var.user?.sub ?? null }))
    const get = () => app.request('https://app.bezzie.test/page', { headers: { cookie } })
    state.down = true
    const res = await get()
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ sub: null })
    expect(res.headers.getSetCookie()).toEqual([])
    expect(errors.map((e) => e.code)).toEqual(['store_failed'])
    state.down = false
    expect(await (await get()).json()).toEqual({ sub: 'u' })
  })
})

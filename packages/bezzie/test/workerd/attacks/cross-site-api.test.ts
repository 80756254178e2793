import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { createBezzie } from '../../../src/create-bezzie.ts'
import type { ProxyOptions } from '../../../src/proxy.ts'
import type { BezzieEnv } from '../../../src/types.ts'
import { BASE_URL } from '../../support/constants.ts'
import { proxyApp } from '../../support/proxy-app.ts'

interface Echo {
  method: string
  url: string
  headers: Record<string, string>
}

/** A signed-in browser in front of `auth.proxy()`; `send` adds only the session cookie. */
async function signedIn(options: Partial<ProxyOptions> = {}) {
  const { app, cookie } = await proxyApp({ upstream: `${env.UPSTREAM_ORIGIN}/v1`, ...options })
  return (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    headers.set('cookie', cookie)
    return app.fetch(new Request(new URL(path, BASE_URL), { ...init, headers }))
  }
}

/** What a browser sends for a link on another site the user clicks. */
const crossSiteNavigation = {
  accept: 'text/html,application/xhtml+xml',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
}

describe('no cross-site reach into the API through auth.proxy()', () => {
  it('cross-site navigation: a link on another site does not reach the upstream with the user’s token', async () => {
    const send = await signedIn()
    const res = await send('/api/proxy/notes', { headers: crossSiteNavigation })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: 'csrf_failed' })
  })

  it('cross-site GET without Fetch Metadata (an <img>, an old browser) is refused for lack of X-CSRF', async () => {
    const send = await signedIn()
    const res = await send('/api/proxy/notes')
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ error: 'csrf_failed', message: 'missing X-CSRF: 1 header' })
  })

  it('X-CSRF that arrives cross-site anyway (a CORS mistake) is still refused by Fetch Metadata', async () => {
    const send = await signedIn()
    const res = await send('/api/proxy/notes', {
      headers: { 'x-csrf': '1', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' },
    })
    expect(res.status).toBe(403)
  })

  it('the SPA’s own fetch with X-CSRF: 1 goes through', async () => {
    const send = await signedIn()
    const res = await send('/api/proxy/notes', {
      headers: { 'x-csrf': '1', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' },
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as Echo).headers.authorization).toBe('Bearer the-access-token')
  })

  it('requireHeader: false (seed-style apps whose client cannot send it) forwards as before', async () => {
    const send = await signedIn({ requireHeader: false })
    const res = await send('/api/proxy/notes')
    expect(res.status).toBe(200)
  })

  it('method override: ?_method=POST and override headers never reach the upstream', async () => {
    const send = await signedIn()
    const res = await send(
      '/api/proxy/notes?_method=POST&_METHOD=DELETE&x-http-method-override=PUT&keep=1',
      {
        headers: {
          'x-csrf': '1',
          'x-http-method-override': 'DELETE',
          'x-http-method': 'DELETE',
          'x-method-override': 'DELETE',
        },
      },
    )
    expect(res.status).toBe(200)
    const echo = (await res.json()) as Echo
    expect(echo.method).toBe('GET')
    expect(echo.url).toBe('/v1/notes?keep=1')
    for (const h of ['x-http-method-override', 'x-http-method', 'x-method-override']) {
      expect(echo.headers[h]).toBeUndefined()
    }
  })

  it('a query without overrides reaches the upstream byte for byte', async () => {
    const send = await signedIn()
    const res = await send('/api/proxy/notes?a=%20b&c=d+e&method=x', { headers: { 'x-csrf': '1' } })
    expect(((await res.json()) as Echo).url).toBe('/v1/notes?a=%20b&c=d+e&method=x')
  })
})

describe('proxied responses are not cached for others', () => {
  it('cache poisoning: an upstream Cache-Control: public becomes private, no-store', async () => {
    const send = await signedIn()
    const res = await send('/api/proxy/notes', { headers: { 'x-csrf': '1' } })
    expect(res.headers.get('cache-control')).toBe('private, no-store')
  })

  it('cacheControl configures it; false relays the upstream’s own', async () => {
    const configured = await signedIn({ cacheControl: 'private, max-age=60' })
    const res = await configured('/api/proxy/notes', { headers: { 'x-csrf': '1' } })
    expect(res.headers.get('cache-control')).toBe('private, max-age=60')
    const relayed = await signedIn({ cacheControl: false })
    const res2 = await relayed('/api/proxy/notes', { headers: { 'x-csrf': '1' } })
    expect(res2.headers.get('cache-control')).toBe('public, max-age=3600')
  })
})

describe('csrf.everyMethod on auth.middleware()', () => {
  async function api(everyMethod: boolean) {
    const auth = createBezzie({
      issuer: 'https://idp.example.com',
      clientId: 'c',
      adapter: new MemoryAdapter(),
      baseUrl: BASE_URL,
      csrf: { requireHeader: 'X-CSRF', everyMethod },
    })
    const app = new Hono<BezzieEnv>()
    app.get('/api/optional', auth.optionalMiddleware(), (c) => c.json({ user: c.var.user }))
    app.use('/api/*', auth.middleware())
    app.get('/api/notes', (c) => c.json({ sub: c.var.user.sub, token: !!c.var.accessToken }))
    const { cookie } = await auth.sessions.create({
      user: { sub: 'alice' },
      tokens: { accessToken: 'at', expiresAt: Math.floor(Date.now() / 1000) + 3600 },
    })
    return (path: string, headers: Record<string, string> = {}, withCookie = true) =>
      app.fetch(
        new Request(new URL(path, BASE_URL), {
          headers: withCookie ? { cookie, ...headers } : headers,
        }),
      )
  }

  it('cross-site GET: a link or <img> on another site does not reach the route with the session', async () => {
    const send = await api(true)
    const res = await send('/api/notes', crossSiteNavigation)
    expect(res.status).toBe(403)
    // A person followed the link: a readable page, not JSON.
    expect(await res.text()).toContain('<code>csrf_failed</code>')
    const img = await send('/api/notes')
    expect(img.status).toBe(403)
    expect(await img.json()).toMatchObject({ error: 'csrf_failed' })
  })

  it('the SPA’s fetch with X-CSRF: 1 gets through; without a session it is the usual 401', async () => {
    const send = await api(true)
    const ok = await send('/api/notes', { 'x-csrf': '1', 'sec-fetch-site': 'same-origin' })
    expect(await ok.json()).toEqual({ sub: 'alice', token: true })
    expect((await send('/api/notes', {}, false)).status).toBe(401)
  })

  it('optionalMiddleware treats a cross-site GET as signed out', async () => {
    const send = await api(true)
    expect(await (await send('/api/optional', crossSiteNavigation)).json()).toEqual({ user: null })
    const own = await send('/api/optional', { 'x-csrf': '1' })
    expect(await own.json()).toEqual({ user: { sub: 'alice' } })
  })

  it('off by default: safe methods are not checked (the seed behaviour)', async () => {
    const send = await api(false)
    expect((await send('/api/notes')).status).toBe(200)
  })
})

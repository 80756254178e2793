import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { safeReturnTo } from '../../../src/return-to.ts'
import { testApp } from '../../support/app.ts'
import { BASE_URL } from '../../support/constants.ts'
import { proxyApp } from '../../support/proxy-app.ts'

/** Seeded and bounded: the same inputs on every run, fast enough for CI. */
const RUNS = { seed: 13, numRuns: 150, endOnFailure: true }

/** Pieces attackers combine into redirect targets, paths and parameters. */
const TRICKY = [
  '/',
  '//',
  '\\',
  '.',
  '..',
  '%2f',
  '%2F',
  '%5c',
  '%2e',
  '%2e%2e',
  '%00',
  '%',
  '%%',
  '%u002f',
  '@',
  ':',
  '?',
  '#',
  ';',
  '&',
  '=',
  '+',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u00a0',
  '\u3000',
  '\uff0f',
  '\u2215',
  'é',
  'evil.example',
  'http:',
  'https:',
  'javascript:',
  'a',
  'dashboard',
  'auth',
  'login',
  '..;',
  '<script>',
  '"',
  "'",
]
const tricky = fc
  .array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 4 })), { maxLength: 10 })
  .map((parts) => parts.join(''))
const anyText = fc.oneof(
  tricky,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
)

const pageHeaders = { accept: 'text/html', 'sec-fetch-mode': 'navigate' }

/** A Location bezzie answers with stays on our origin or goes to the configured IdP. */
function expectOwnOrIdp(location: string | null) {
  if (location === null) return
  const origin = new URL(location, BASE_URL).origin
  expect([BASE_URL, new URL(env.IDP_ISSUER).origin]).toContain(origin)
}

describe('property: returnTo', () => {
  it('returnTo: every accepted value stays on our origin, and nothing throws', () => {
    fc.assert(
      fc.property(anyText, (value) => {
        const safe = safeReturnTo(value)
        if (safe === null) return
        const url = new URL(safe, BASE_URL)
        expect(url.origin).toBe(BASE_URL)
        expect(url.pathname.startsWith('//')).toBe(false)
      }),
      RUNS,
    )
  })

  it('returnTo through GET /auth/login and the middleware: no 500, no off-origin redirect', async () => {
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter() })
    await fc.assert(
      fc.asyncProperty(anyText, async (value) => {
        browser.cookies.clear()
        const login = await browser.get(`/auth/login?returnTo=${encodeURIComponent(value)}`)
        expect(login.status).toBeLessThan(500)
        expectOwnOrIdp(login.headers.get('location'))
        const api = await browser.get(
          `/api/whoami?auth_error=${encodeURIComponent(value)}`,
          pageHeaders,
        )
        expect(api.status).toBeLessThan(500)
        expectOwnOrIdp(api.headers.get('location'))
        const html = await api.text()
        expect(html).not.toContain('<script>')
      }),
      RUNS,
    )
  })
})

describe('property: Cookie headers', () => {
  const name = fc.oneof(
    fc.constantFrom(
      '__Host-session',
      '__Host-session-tx-AAAAAAAAAAAA',
      '__Host-session-failed',
      'session',
    ),
    fc.constantFrom('__Host-session-tx-').chain((p) => anyText.map((s) => p + s)),
    anyText,
  )
  const value = fc.oneof(
    anyText,
    fc.string({ minLength: 43, maxLength: 43 }),
    fc.constant('v'.repeat(4097)),
  )
  const cookieHeader = fc
    .array(fc.tuple(name, value), { maxLength: 8 })
    .map((pairs) => pairs.map(([n, v]) => `${n}=${v}`).join('; '))
    // What reaches a Worker: printable ASCII (a header cannot carry CR, LF or NUL at all, and
    // browsers refuse to send other bytes in a cookie).
    .map((h) => h.replace(/[^\x20-\x7e]/g, ''))

  it('any Cookie header on any route: no 500 and no exception', async () => {
    const { app } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      secret: 's'.repeat(40),
    })
    const paths = [
      '/auth/login',
      '/auth/me',
      '/api/whoami',
      '/auth/callback?state=AAAAAAAAAAAAAAAA&code=x',
    ]
    await fc.assert(
      fc.asyncProperty(cookieHeader, fc.constantFrom(...paths), async (cookie, path) => {
        let headers: Headers
        try {
          headers = new Headers({ cookie, ...pageHeaders })
        } catch {
          return // not a header a browser could send
        }
        const res = await app.fetch(
          new Request(new URL(path, BASE_URL), { headers, redirect: 'manual' }),
        )
        expect(res.status, `${path} with ${cookie.slice(0, 200)}`).toBeLessThan(500)
        expectOwnOrIdp(res.headers.get('location'))
      }),
      RUNS,
    )
  })
})

describe('property: callback query strings', () => {
  const param = fc.tuple(
    fc.constantFrom(
      'code',
      'state',
      'error',
      'error_description',
      'error_uri',
      'iss',
      'session_state',
      'x',
    ),
    anyText,
  )
  it('any callback query: a 4xx or a redirect on our origin, never a 500', async () => {
    const { app, browser } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter() })
    // A real login in progress, so some generated callbacks meet a live transaction.
    const start = await browser.get('/auth/login?returnTo=/dashboard')
    const state = new URL(start.headers.get('location') as string).searchParams.get(
      'state',
    ) as string
    await fc.assert(
      fc.asyncProperty(
        fc.array(param, { maxLength: 6 }),
        fc.boolean(),
        async (params, withState) => {
          const query = new URLSearchParams(params)
          if (withState) query.set('state', state)
          const res = await app.fetch(
            new Request(`${BASE_URL}/auth/callback?${query}`, {
              headers: { cookie: browser.cookieHeader(), ...pageHeaders },
              redirect: 'manual',
            }),
          )
          expect(res.status, query.toString()).toBeLessThan(500)
          expectOwnOrIdp(res.headers.get('location'))
          const body = await res.text()
          expect(body).not.toMatch(/<script>|javascript:/)
        },
      ),
      RUNS,
    )
  })
})

describe('property: proxy paths', () => {
  it('any path under the proxy: never a 500, and what is forwarded stays under the upstream base path', async () => {
    const { app, cookie } = await proxyApp({ upstream: `${env.UPSTREAM_ORIGIN}/v1` })
    await fc.assert(
      fc.asyncProperty(fc.array(tricky, { maxLength: 5 }), anyText, async (segments, query) => {
        let url: URL
        try {
          url = new URL(`/api/proxy/${segments.join('/')}?${encodeURIComponent(query)}`, BASE_URL)
        } catch {
          return
        }
        const res = await app.fetch(
          new Request(url, { headers: { cookie, 'x-csrf': '1' }, redirect: 'manual' }),
        )
        expect(res.status, url.href).toBeLessThan(500)
        if (res.status === 200) {
          const echo = (await res.json()) as { url: string }
          const forwarded = new URL(echo.url, 'http://upstream.invalid')
          expect(forwarded.pathname === '/v1' || forwarded.pathname.startsWith('/v1/')).toBe(true)
          expect(forwarded.pathname.split('/')).not.toContain('..')
        } else {
          await res.body?.cancel()
        }
      }),
      { ...RUNS, numRuns: 100 },
    )
  })
})

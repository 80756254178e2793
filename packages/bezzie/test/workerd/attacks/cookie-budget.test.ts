import { env } from 'cloudflare:workers'
import { driveLogin } from '@bezzie/idp/client'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import {
  MAX_COOKIE_RETURN_TO_BYTES,
  TRANSACTION_COOKIE_BUDGET,
} from '../../../src/session/transaction.ts'
import { testApp } from '../../support/app.ts'
import { BASE_URL } from '../../support/constants.ts'
import { DEMO_CREDENTIALS } from '../../support/login.ts'

const SECRET = 'cookie-budget-test-secret-0123456789abcdef'
/** What many servers and proxies (and Cloudflare's edge) accept for all request headers. */
const HEADER_LIMIT = 8192

const txCookies = (cookies: Map<string, string>) =>
  [...cookies.keys()].filter((n) => n.startsWith('__Host-session-tx-'))

/** A returnTo of `bytes` bytes: the longest a sealed cookie carries, and the longest accepted. */
const longReturnTo = (i: number, bytes: number) =>
  `/dashboard/${String(i).padStart(2, '0')}?filter=${'x'.repeat(bytes - 24)}`

describe.each([
  ['with a secret (sealed cookie)', SECRET],
  ['without a secret (store)', undefined],
])('cookie budget %s', (_name, secret) => {
  it('planted cookie: transaction cookies with names Hono refuses to set do not 500 /auth/login', async () => {
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter(), secret })
    const planted = ['a@b', 'c:d', 'e/f', 'g,h', 'i?j', 'k(l', 'm[n', 'o{p', 'aaaaaaaaaaaa']
    const cookie = planted.map((n) => `__Host-session-tx-${n}=1`).join('; ')
    const res = await browser.get('/auth/login', { cookie })
    expect(res.status).toBe(302)
    // The well-formed one is ours to clear (over budget); the malformed ones are never echoed.
    const setCookies = res.headers.getSetCookie().join('\n')
    for (const n of planted.slice(0, -1)) expect(setCookies).not.toContain(`-tx-${n}=`)
  })

  it.each([MAX_COOKIE_RETURN_TO_BYTES, 2048])(
    'cookie bomb: abandoned logins with %i-byte returnTo values keep the Cookie header far below 8 KB',
    async (size) => {
      const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter(), secret })
      let largest = 0
      for (let i = 0; i < 12; i++) {
        const returnTo = longReturnTo(i, size)
        const res = await browser.get(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`)
        expect(res.status).toBe(302)
        largest = Math.max(largest, browser.cookieHeader().length)
        expect(txCookies(browser.cookies).length).toBeLessThanOrEqual(
          TRANSACTION_COOKIE_BUDGET.maxCount,
        )
      }
      expect(largest).toBeLessThanOrEqual(TRANSACTION_COOKIE_BUDGET.maxBytes)
      expect(largest).toBeLessThan(HEADER_LIMIT / 2)
    },
  )

  it('cookie bomb: planted oversized transaction cookies are cleared, not added to', async () => {
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter(), secret })
    browser.cookies.set(
      '__Host-session-tx-AAAAAAAAAAAA',
      'v'.repeat(TRANSACTION_COOKIE_BUDGET.maxBytes),
    )
    const res = await browser.get('/auth/login')
    expect(res.status).toBe(302)
    expect(browser.cookies.has('__Host-session-tx-AAAAAAAAAAAA')).toBe(false)
    expect(txCookies(browser.cookies)).toHaveLength(1)
  })
})

describe('a long returnTo with a secret', () => {
  it('does not fit a cookie, so its transaction is kept (sealed) in the store and still lands there', async () => {
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      secret: SECRET,
    })
    const returnTo = `/reports/2026?${'q=1&'.repeat(MAX_COOKIE_RETURN_TO_BYTES / 4)}`
    const start = await browser.get(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`)
    const [value] = txCookies(browser.cookies).map((n) => browser.cookies.get(n) as string)
    expect(value).toMatch(/^[\w-]{43}$/)
    const { callbackUrl } = await driveLogin(
      start.headers.get('location') as string,
      DEMO_CREDENTIALS,
    )
    const callback = new URL(callbackUrl)
    const res = await browser.get(callback.pathname + callback.search)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`${BASE_URL}${returnTo}`)
  })

  it('keeps a returnTo that fits, query included', async () => {
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      secret: SECRET,
    })
    const start = await browser.get('/auth/login?returnTo=%2Freports%3Fyear%3D2026')
    const { callbackUrl } = await driveLogin(
      start.headers.get('location') as string,
      DEMO_CREDENTIALS,
    )
    const callback = new URL(callbackUrl)
    const res = await browser.get(callback.pathname + callback.search)
    expect(res.headers.get('location')).toBe(`${BASE_URL}/reports?year=2026`)
  })
})

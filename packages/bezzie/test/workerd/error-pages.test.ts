import { env } from 'cloudflare:workers'
import { driveLogin } from '@bezzie/idp/client'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { ERROR_PAGE_CSP, type ErrorPageInfo } from '../../src/error-page.ts'
import type { BezzieError } from '../../src/errors.ts'
import { testApp } from '../support/app.ts'
import { testConfig } from '../support/config.ts'
import { DEMO_CREDENTIALS, idpClearFaults, idpFault } from '../support/login.ts'

const page = { accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-user': '?1' }
const program = { accept: 'application/json', 'sec-fetch-mode': 'cors' }

/** An issuer nothing listens on: connection refused at once. */
const UNREACHABLE = 'http://127.0.0.1:1'

describe('error pages for people, JSON for programs', () => {
  it('IdP unreachable at /auth/login: a navigation gets a readable 502 page with a retry link', async () => {
    const { browser } = testApp({ issuer: UNREACHABLE, adapter: new MemoryAdapter() })
    const res = await browser.get('/auth/login?returnTo=/reports', page)
    expect(res.status).toBe(502)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-security-policy')).toBe(ERROR_PAGE_CSP)
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    const html = await res.text()
    expect(html).toContain('<code>discovery_failed</code>')
    expect(html).toContain('href="/auth/login?returnTo=%2Freports"')
    const api = await browser.get('/auth/login?returnTo=/reports', program)
    expect(api.status).toBe(502)
    expect(await api.json()).toMatchObject({ error: 'discovery_failed' })
  })

  it.each(['http500', 'timeout'])(
    'IdP discovery answering %s: a page, never a 500',
    async (mode) => {
      await idpFault(env.IDP_FAULT_ISSUER, 'discovery', mode)
      try {
        const { browser } = testApp({ issuer: env.IDP_FAULT_ISSUER, adapter: new MemoryAdapter() })
        const res = await browser.get('/auth/login', page)
        expect(res.status).toBe(502)
        expect(await res.text()).toContain('<code>discovery_failed</code>')
      } finally {
        await idpClearFaults(env.IDP_FAULT_ISSUER)
      }
    },
    30_000,
  )

  it('misconfiguration: no clientSecret for a confidential client ends on a readable page naming invalid_client', async () => {
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      clientSecret: undefined,
    })
    const start = await browser.get('/auth/login?returnTo=/dashboard', page)
    expect(start.status).toBe(302)
    const { callbackUrl } = await driveLogin(
      start.headers.get('location') as string,
      DEMO_CREDENTIALS,
    )
    const callback = new URL(callbackUrl)
    const res = await browser.get(callback.pathname + callback.search, page)
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('<code>token_exchange_failed</code>')
    expect(html).toContain('invalid_client: check clientId and clientSecret')
    expect(html).toContain('href="/auth/login?returnTo=%2Fdashboard"')
  })

  it('callback errors (a stray callback) are pages for people and JSON for programs', async () => {
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter() })
    const html = await browser.get('/auth/callback?code=x&state=yyyyyyyyyyyyyyyy', page)
    expect(html.status).toBe(400)
    expect(await html.text()).toContain('<code>login_transaction_missing</code>')
    const json = await browser.get('/auth/callback?code=x&state=yyyyyyyyyyyyyyyy', program)
    expect(await json.json()).toMatchObject({ error: 'login_transaction_missing' })
  })

  it('errorPage renders the page from fixed text; a throwing renderer falls back to the default', async () => {
    const seen: ErrorPageInfo[] = []
    const custom = testApp({
      issuer: UNREACHABLE,
      adapter: new MemoryAdapter(),
      errorPage: (info) => {
        seen.push(info)
        return `<p>custom ${info.code}</p>`
      },
    })
    const res = await custom.browser.get('/auth/login?returnTo=/x', page)
    expect(await res.text()).toBe('<p>custom discovery_failed</p>')
    expect(res.headers.get('content-security-policy')).toBe(ERROR_PAGE_CSP)
    expect(seen).toEqual([
      {
        status: 502,
        code: 'discovery_failed',
        message: expect.any(String),
        retryUrl: '/auth/login?returnTo=%2Fx',
      },
    ])
    const broken = testApp({
      issuer: UNREACHABLE,
      adapter: new MemoryAdapter(),
      errorPage: () => {
        throw new Error('template bug')
      },
    })
    const fallback = await broken.browser.get('/auth/login', page)
    expect(fallback.status).toBe(502)
    expect(await fallback.text()).toContain('<code>discovery_failed</code>')
  })
})

describe('misconfiguration reported at the first request, once per isolate', () => {
  it('no clientSecret and no secret on an https baseUrl: two loud ConfigErrors, once', async () => {
    const reported: BezzieError[] = []
    const config = testConfig(env.IDP_ISSUER, {
      clientId: 'first-request-notice',
      clientSecret: undefined,
      onError: (e) => reported.push(e),
    })
    // The demo's shape: createBezzie per request.
    for (let i = 0; i < 3; i++) {
      const auth = createBezzie(config)
      await auth.routes().request('/me')
    }
    expect(reported.map((e) => [e.code, (e as { option?: string }).option])).toEqual([
      ['config_invalid', 'clientSecret'],
      ['config_invalid', 'secret'],
    ])
    expect(reported[0]?.message).toContain('invalid_client')
  })

  it('a confidential client with a secret, or a localhost baseUrl, reports nothing', async () => {
    const reported: BezzieError[] = []
    const onError = (e: BezzieError) => reported.push(e)
    const withSecret = testConfig(env.IDP_ISSUER, { secret: 's'.repeat(40), onError })
    await createBezzie({ ...withSecret, clientId: 'notice-a' })
      .routes()
      .request('/me')
    const local = testConfig(env.IDP_ISSUER, { baseUrl: 'http://localhost:8787', onError })
    await createBezzie({ ...local, clientId: 'notice-b' })
      .routes()
      .request('/me')
    expect(reported).toEqual([])
  })
})

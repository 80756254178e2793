import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { ERROR_PAGE_CSP } from '../../../src/error-page.ts'
import type { BezzieError, CallbackError } from '../../../src/errors.ts'
import { testApp } from '../../support/app.ts'
import type { Browser } from '../../support/browser.ts'
import { isCounted } from '../../support/config.ts'
import { BASE_URL } from '../../support/constants.ts'
import { cancelAtIdp } from '../../support/login.ts'

/** A top-level navigation as a browser sends it; `click` marks user activation. */
const navigation = (click = false) => ({
  accept: 'text/html,application/xhtml+xml',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  'sec-fetch-site': 'same-origin',
  ...(click ? { 'sec-fetch-user': '?1' } : {}),
})

/** The reference shape: `/dashboard` is a page behind `auth.middleware()`. */
function setup(extra: Record<string, unknown> = {}) {
  const reported: BezzieError[] = []
  const t = testApp({
    issuer: env.IDP_ISSUER,
    adapter: new MemoryAdapter(),
    onError: (e) => {
      if (isCounted(e)) reported.push(e)
    },
    ...extra,
  })
  t.app.get('/dashboard', t.auth.middleware(), (c) => c.text(`hello ${c.var.user.sub}`))
  return { ...t, reported }
}

const pathOf = (location: string) => {
  const url = new URL(location, BASE_URL)
  return url.pathname + url.search
}

/**
 * Navigates like a browser from `path`, following same-origin redirects and the IdP (pressing
 * Cancel there); stops at the first page that is not a redirect. Resolves every URL visited.
 */
async function navigate(browser: Browser, path: string, maxHops = 12) {
  const visited: string[] = []
  let next = path
  for (let hop = 0; hop < maxHops; hop++) {
    visited.push(next)
    const res = await browser.get(next, navigation(hop === 0))
    const location = res.headers.get('location')
    if (!location) return { res, visited }
    const url = new URL(location, BASE_URL)
    next = url.origin === BASE_URL ? pathOf(location) : pathOf((await cancelAtIdp(url.href)).href)
  }
  throw new Error(`login loop: ${visited.join(' → ')}`)
}

describe('server-side loop breaker', () => {
  it('login loop: a cancelled login that returns to a page behind auth.middleware() ends on a readable page', async () => {
    const { browser, reported } = setup()
    const { res, visited } = await navigate(browser, '/dashboard?tab=2')
    // dashboard → login → (IdP, cancelled) → callback → dashboard?auth_error: one round trip.
    expect(visited).toEqual([
      '/dashboard?tab=2',
      `/auth/login?returnTo=${encodeURIComponent('/dashboard?tab=2')}`,
      expect.stringMatching(/^\/auth\/callback\?/),
      '/dashboard?tab=2&auth_error=access_denied',
    ])
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-security-policy')).toBe(ERROR_PAGE_CSP)
    const html = await res.text()
    expect(html).toContain('<code>access_denied</code>')
    expect(html).toContain(`href="/auth/login?returnTo=${encodeURIComponent('/dashboard?tab=2')}"`)
    expect(reported.map((e) => [e.code, (e as CallbackError).idpError])).toEqual([
      ['idp_error', 'access_denied'],
    ])
  })

  it('login loop: an audience the IdP does not know (invalid_target) stops after one round trip and names the code', async () => {
    const { browser, reported } = setup({ audience: 'https://unknown-api.bezzie.test' })
    const start = await browser.get('/auth/login?returnTo=/dashboard', navigation(true))
    const idp = await fetch(start.headers.get('location') as string, { redirect: 'manual' })
    const callback = new URL(idp.headers.get('location') as string)
    expect(callback.searchParams.get('error')).toBe('invalid_target')
    const back = await browser.get(pathOf(callback.href), navigation())
    expect(back.headers.get('location')).toBe(`${BASE_URL}/dashboard?auth_error=invalid_target`)
    const page = await browser.get('/dashboard?auth_error=invalid_target', navigation())
    expect(page.status).toBe(401)
    expect(await page.text()).toContain('<code>invalid_target</code>')
    // The adopter sees why: the registered code and the IdP's own (scrubbed) description.
    const [error] = reported as CallbackError[]
    expect(error?.idpError).toBe('invalid_target')
    expect(error?.message).toContain('invalid_target')
    expect(error?.idpErrorDescription).toBeTruthy()
  })

  it('login loop: a bounce to login without a click right after a failure (auth_error dropped) is stopped', async () => {
    const { browser } = setup()
    await navigate(browser, '/dashboard')
    expect(browser.cookies.get('__Host-session-failed')).toBe('access_denied')
    // An app that strips auth_error and sends the browser on again, by redirect or script.
    const viaMiddleware = await browser.get('/dashboard', navigation())
    expect(viaMiddleware.status).toBe(401)
    expect(await viaMiddleware.text()).toContain('<code>access_denied</code>')
    const viaLogin = await browser.get('/auth/login?returnTo=/dashboard', navigation())
    expect(viaLogin.status).toBe(401)
    expect(viaLogin.headers.get('location')).toBeNull()
  })

  it('a click on “Try again” (user activation) always starts a fresh login and clears the marker', async () => {
    const { browser } = setup()
    await navigate(browser, '/dashboard')
    const retry = await browser.get('/auth/login?returnTo=/dashboard', navigation(true))
    expect(retry.status).toBe(302)
    expect(new URL(retry.headers.get('location') as string).origin).toBe(
      new URL(env.IDP_ISSUER).origin,
    )
    expect(browser.cookies.has('__Host-session-failed')).toBe(false)
  })

  it('login loop: returnTo=/auth/login does not restart the login when the IdP sends an error back', async () => {
    const { browser } = setup()
    const res = await browser.get('/auth/login?auth_error=access_denied', navigation(true))
    expect(res.status).toBe(401)
    expect(res.headers.get('location')).toBeNull()
  })

  it('programs keep JSON: fetch to a protected route with auth_error is a 401 { error }', async () => {
    const { browser } = setup()
    const res = await browser.get('/api/whoami?auth_error=access_denied', {
      accept: 'application/json',
      'sec-fetch-mode': 'cors',
    })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'unauthorized' })
  })

  it('a forged auth_error is shown as an allow-listed code only, escaped', async () => {
    const { browser } = setup()
    const res = await browser.get(
      `/dashboard?auth_error=${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
      navigation(),
    )
    expect(res.status).toBe(401)
    const html = await res.text()
    expect(html).toContain('<code>idp_error</code>')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('onerror')
  })

  it('the middleware’s login redirect is never cached', async () => {
    const { browser } = setup()
    const res = await browser.get('/dashboard', navigation(true))
    expect(res.status).toBe(302)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })
})

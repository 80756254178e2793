import type { Idp } from '@bezzie/idp'
import { driveLogin } from '@bezzie/idp/client'
import { startIdpForBff } from '@bezzie/test-support/idp'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { defaultMapClaims } from '../../../src/config.ts'
import { createBezzie } from '../../../src/create-bezzie.ts'
import { ConfigError } from '../../../src/errors.ts'
import { testApp } from '../../support/app.ts'
import type { Browser } from '../../support/browser.ts'
import { testConfig } from '../../support/config.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../../support/constants.ts'
import { DEMO_CREDENTIALS, login } from '../../support/login.ts'

// auth.require() against the real IdP: claims and scopes from a real login, and step-up to a
// stronger sign-in (acr_values / max_age) that the IdP really performs.

const MFA = 'urn:bezzie:mfa'
const NAVIGATION = { accept: 'text/html', 'sec-fetch-mode': 'navigate' }
const FETCH = { accept: 'application/json', 'sec-fetch-mode': 'cors' }

let idp: Idp
let plainIdp: Idp
const client = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, origins: [BASE_URL] }

beforeAll(async () => {
  idp = await startIdpForBff(client, {
    resource: AUDIENCE,
    accessTokenTtl: 3600,
    acrValues: [MFA],
  })
  // An IdP that knows no acr values: a step-up there can never succeed.
  plainIdp = await startIdpForBff(client, { resource: AUDIENCE, accessTokenTtl: 3600 })
})
afterAll(async () => {
  await Promise.all([idp?.stop(), plainIdp?.stop()])
})
afterEach(() => {
  vi.restoreAllMocks()
})

function guardedApp(issuer = idp.issuer) {
  const t = testApp({
    issuer,
    adapter: testConfig(issuer).adapter,
    scopes: ['openid', 'profile', 'email', 'offline_access', 'read:notes'],
    // Roles as an IdP would send them in a custom claim, kept by mapClaims for the guard.
    mapClaims: (claims) => ({
      ...defaultMapClaims(claims),
      roles: claims.sub === 'alice' ? ['editor', 'admin'] : ['viewer'],
    }),
  })
  const { app, auth } = t
  app.get('/api/admin', auth.require({ claims: { roles: 'admin' } }), (c) => c.json({ ok: true }))
  app.get(
    '/api/mine',
    auth.require({ claims: (user) => user.email === 'alice@example.com' }),
    (c) => c.json({ ok: true }),
  )
  app.get('/api/notes-read', auth.require({ scope: 'read:notes' }), (c) => c.json({ ok: true }))
  app.get('/api/notes-admin', auth.require({ scope: ['read:notes', 'admin:notes'] }), (c) =>
    c.json({ ok: true }),
  )
  app.get('/api/payments', auth.require({ acr: MFA }), (c) => c.json({ ok: true }))
  app.get('/api/recent', auth.require({ maxAge: 600 }), (c) => c.json({ ok: true }))
  return t
}

async function loginAs(browser: Browser, username: string) {
  const start = await browser.get('/auth/login?returnTo=/')
  const { callbackUrl } = await driveLogin(start.headers.get('location') as string, {
    ...DEMO_CREDENTIALS,
    username,
  })
  const callback = new URL(callbackUrl)
  const done = await browser.get(callback.pathname + callback.search)
  expect(done.status).toBe(302)
}

/** Follows a step-up redirect (to bezzie's login) through the real IdP back to the callback. */
async function followLogin(browser: Browser, loginPath: string) {
  const start = await browser.get(loginPath)
  expect(start.status).toBe(302)
  const authorizationUrl = new URL(start.headers.get('location') as string)
  const { callbackUrl } = await driveLogin(authorizationUrl.href, DEMO_CREDENTIALS)
  const callback = new URL(callbackUrl)
  return { authorizationUrl, response: await browser.get(callback.pathname + callback.search) }
}

describe('auth.require({ claims })', () => {
  it('lets a user whose role claim contains the required role through', async () => {
    const { browser } = guardedApp()
    await loginAs(browser, 'alice')
    expect((await browser.get('/api/admin')).status).toBe(200)
    expect((await browser.get('/api/mine')).status).toBe(200)
  })

  it('answers 403 forbidden JSON to a signed-in user without the role (privilege escalation)', async () => {
    const { browser } = guardedApp()
    await loginAs(browser, 'bob')
    const res = await browser.get('/api/admin')
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: 'forbidden' })
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect((await browser.get('/api/mine')).status).toBe(403)
  })

  it('answers 401 when no session was resolved (guard behind optionalMiddleware, signed out)', async () => {
    const auth = createBezzie(testConfig(idp.issuer))
    const { Hono } = await import('hono')
    const app = new Hono()
    app.use('*', auth.optionalMiddleware())
    app.get('/x', auth.require({ claims: { roles: 'admin' } }), (c) => c.text('no'))
    expect((await app.request('/x')).status).toBe(401)
  })
})

describe('auth.require({ scope })', () => {
  it('passes for a scope the IdP granted at login and refuses one it did not (403 insufficient_scope)', async () => {
    const { browser } = guardedApp()
    await login(browser)
    expect((await browser.get('/api/notes-read')).status).toBe(200)
    const res = await browser.get('/api/notes-admin')
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({
      error: 'insufficient_scope',
      message: 'missing scope: admin:notes',
    })
  })
})

describe('auth.require({ acr }) step-up', () => {
  it('answers an API call from a password-only session with 403 insufficient_user_authentication', async () => {
    const { browser } = guardedApp()
    await login(browser)
    const res = await browser.get('/api/payments', FETCH)
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({
      error: 'insufficient_user_authentication',
      acr_values: MFA,
    })
  })

  it('redirects a navigation to login with acr_values, and the stepped-up session gets through', async () => {
    const { browser } = guardedApp()
    await login(browser)
    const res = await browser.get('/api/payments?tab=1', NAVIGATION)
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location') as string, BASE_URL)
    expect(location.pathname).toBe('/auth/login')
    expect(location.searchParams.get('acr_values')).toBe(MFA)
    expect(location.searchParams.get('returnTo')).toBe('/api/payments?tab=1')

    const { authorizationUrl, response } = await followLogin(
      browser,
      location.pathname + location.search,
    )
    // The IdP was really asked for the stronger method, and the login lands back on the page.
    expect(authorizationUrl.searchParams.get('acr_values')).toBe(MFA)
    expect(response.headers.get('location')).toBe(`${BASE_URL}/api/payments?tab=1`)
    expect((await browser.get('/api/payments', FETCH)).status).toBe(200)
  })

  it('does not loop when the IdP cannot satisfy the step-up: the navigation gets 403', async () => {
    const { browser } = guardedApp(plainIdp.issuer)
    await login(browser)
    const first = await browser.get('/api/payments', NAVIGATION)
    expect(first.status).toBe(302)
    const location = new URL(first.headers.get('location') as string, BASE_URL)
    await followLogin(browser, location.pathname + location.search)
    const second = await browser.get('/api/payments', NAVIGATION)
    expect(second.status).toBe(403)
    expect(await second.json()).toMatchObject({ error: 'insufficient_user_authentication' })
  })
})

describe('auth.require({ maxAge })', () => {
  it('asks a session without auth_time for a fresh sign-in (max_age), then again once it is too old', async () => {
    const { browser } = guardedApp()
    await login(browser)
    // Without max_age in the request the IdP need not send auth_time: unknown age, so step up.
    const first = await browser.get('/api/recent', NAVIGATION)
    expect(first.status).toBe(302)
    const location = new URL(first.headers.get('location') as string, BASE_URL)
    expect(location.searchParams.get('max_age')).toBe('600')
    const { authorizationUrl } = await followLogin(browser, location.pathname + location.search)
    expect(authorizationUrl.searchParams.get('max_age')).toBe('600')
    expect((await browser.get('/api/recent', NAVIGATION)).status).toBe(200)

    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 601_000)
    expect((await browser.get('/api/recent', NAVIGATION)).status).toBe(302)
    const api = await browser.get('/api/recent', FETCH)
    expect(api.status).toBe(403)
    expect(await api.json()).toMatchObject({
      error: 'insufficient_user_authentication',
      max_age: 600,
    })
  })
})

describe('auth.require() options', () => {
  it.each([
    [{ scope: '' }, 'require.scope'],
    [{ acr: [] }, 'require.acr'],
    [{ maxAge: -1 }, 'require.maxAge'],
    [{ claims: { roles: [] } }, 'require.claims.roles'],
    [{ claims: 'admin' }, 'require.claims'],
  ])('rejects %j with a ConfigError naming %s', (options, option) => {
    const auth = createBezzie(testConfig(idp.issuer))
    let error: unknown
    try {
      auth.require(options as never)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).option).toBe(option)
  })
})

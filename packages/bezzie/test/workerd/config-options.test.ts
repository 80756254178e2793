import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { clearDiscoveryCache, discover, primeDiscovery } from '../../src/oidc/discovery.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { testApp } from '../support/app.ts'
import { Browser } from '../support/browser.ts'
import { testConfig } from '../support/config.ts'
import { AUDIENCE, BASE_URL } from '../support/constants.ts'
import { login } from '../support/login.ts'

afterEach(() => clearDiscoveryCache())

describe('configuration options, end to end', () => {
  it('routes: custom basePath and callback build the redirect_uri and serve the flow', async () => {
    const auth = createBezzie(
      testConfig(env.IDP_ISSUER, {
        routes: { basePath: '/custom', callback: '/cb', me: '/session' },
      }),
    )
    const app = new Hono<BezzieEnv>()
    app.route('/custom', auth.routes())
    const browser = new Browser((r) => app.fetch(r))
    const { authorizationUrl, response } = await login(browser, '/custom/login')
    expect(new URL(authorizationUrl).searchParams.get('redirect_uri')).toBe(`${BASE_URL}/custom/cb`)
    expect(response.status).toBe(302)
    const me = (await (await browser.get('/custom/session')).json()) as { user: { sub: string } }
    expect(me.user.sub).toBeTruthy()
  })

  it('providerOverrides.tokenEndpoint replaces the discovered token endpoint', async () => {
    const real = await discover(new URL(env.IDP_ISSUER), true)
    primeDiscovery({ ...real, token_endpoint: 'http://127.0.0.1:9/token' })
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      providerOverrides: { tokenEndpoint: real.token_endpoint as string },
    })
    const { response } = await login(browser)
    expect(response.status).toBe(302)
    expect(browser.cookies.has('__Host-session')).toBe(true)
  })

  it('secureCookies: false drops Secure and the __Host- prefix (plain-HTTP hosts other than localhost)', async () => {
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      secureCookies: false,
      cookieName: 'sid',
    })
    const { response } = await login(browser)
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('sid='))
    expect(cookie).toBeDefined()
    expect(cookie?.toLowerCase()).not.toContain('secure')
    expect(cookie?.toLowerCase()).toContain('httponly')
    expect((await browser.get('/api/whoami')).status).toBe(200)
  })

  it('scopes and authorizationParams reach the authorization request', async () => {
    const { browser } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      scopes: ['openid', 'email'],
      authorizationParams: { ui_locales: 'fr' },
    })
    const res = await browser.get('/auth/login')
    const url = new URL(res.headers.get('location') as string)
    expect(url.searchParams.get('scope')).toBe('openid email')
    expect(url.searchParams.get('ui_locales')).toBe('fr')
    expect(url.searchParams.get('resource')).toBe(AUDIENCE)
  })
})

import { env } from 'cloudflare:workers'
import { driveLogin } from '@bezzie/idp/client'
import { describe, expect, it } from 'vitest'
import { cloudflareKVAdapter } from '../../src/adapters/kv.ts'
import { sessionKey } from '../../src/session/keys.ts'
import { testApp } from '../support/app.ts'
import { BASE_URL } from '../support/constants.ts'
import { DEMO_CREDENTIALS, login } from '../support/login.ts'

const kv = () => cloudflareKVAdapter(env.SESSION_KV)

describe.each([
  ['without a secret (transaction in the store)', undefined],
  ['with a secret (encrypted records, transaction cookie)', 'x'.repeat(40)],
])('full flow %s', (_name, secret) => {
  it('login → /me → API → logout', async () => {
    const { browser, errors } = testApp({ issuer: env.IDP_ISSUER, adapter: kv(), secret })
    const { authorizationUrl, response } = await login(browser)

    const authz = new URL(authorizationUrl)
    expect(authz.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authz.searchParams.get('state')).toBeTruthy()
    expect(authz.searchParams.get('nonce')).toBeTruthy()
    expect(authz.searchParams.get('redirect_uri')).toBe(`${BASE_URL}/auth/callback`)

    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`${BASE_URL}/dashboard`)
    expect(browser.cookies.has('__Host-session')).toBe(true)
    expect([...browser.cookies.keys()].filter((n) => n.includes('-tx'))).toEqual([])

    const me = await browser.get('/auth/me')
    expect(me.headers.get('cache-control')).toBe('no-store')
    const body = (await me.json()) as {
      user: { sub: string; name: string }
      session: { expiresAt: number; absoluteExpiresAt: number }
    }
    expect(body.user.sub).toBeTruthy()
    expect(body.user.name).toBeTruthy()
    expect(body.session.absoluteExpiresAt).toBeGreaterThan(body.session.expiresAt - 1)
    expect(body.session.expiresAt).toBeGreaterThan(Date.now() / 1000)

    const api = await browser.get('/api/whoami')
    expect(api.status).toBe(200)
    expect(await api.json()).toMatchObject({ user: { sub: body.user.sub }, hasToken: true })

    const logout = await browser.post('/auth/logout')
    expect(logout.status).toBe(303)
    const location = new URL(logout.headers.get('location') as string)
    expect(location.origin).toBe(new URL(env.IDP_ISSUER).origin)
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE_URL}/`)
    expect(location.searchParams.get('client_id')).toBe('bezzie-test')
    expect(location.searchParams.get('id_token_hint')).toBeTruthy()
    expect(browser.cookies.has('__Host-session')).toBe(false)

    expect(await (await browser.get('/auth/me')).json()).toEqual({ user: null })
    expect((await browser.get('/api/whoami')).status).toBe(401)
    expect(errors).toEqual([])
  })
})

describe('parallel logins', () => {
  it.each([
    ['without a secret', undefined],
    ['with a secret', 'p'.repeat(40)],
  ])('two tabs logging in at once both complete (%s)', async (_name, secret) => {
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: kv(), secret })
    const first = await browser.get('/auth/login?returnTo=/one')
    const second = await browser.get('/auth/login?returnTo=/two')
    const tab1 = await driveLogin(first.headers.get('location') as string, DEMO_CREDENTIALS)
    const tab2 = await driveLogin(second.headers.get('location') as string, DEMO_CREDENTIALS)
    const path = (u: string) => new URL(u).pathname + new URL(u).search
    const done2 = await browser.get(path(tab2.callbackUrl))
    const done1 = await browser.get(path(tab1.callbackUrl))
    expect(done2.headers.get('location')).toBe(`${BASE_URL}/two`)
    expect(done1.headers.get('location')).toBe(`${BASE_URL}/one`)
  })

  it('abandoned logins do not pile up transaction cookies without bound', async () => {
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: kv(), secret: 'q'.repeat(40) })
    for (let i = 0; i < 12; i++) await browser.get('/auth/login')
    const tx = [...browser.cookies.keys()].filter((n) => n.startsWith('__Host-session-tx-'))
    expect(tx.length).toBeGreaterThan(0)
    expect(tx.length).toBeLessThanOrEqual(6)
  })
})

describe('long returnTo with a secret (transaction cookie)', () => {
  it.each([
    ['the longest accepted ASCII path', `/${'a'.repeat(2045)}`, true],
    ['quotes, which JSON-escaping doubles', `/${'"'.repeat(1020)}`, true],
    ['2,000 multi-byte characters (over the byte budget)', `/${'é'.repeat(2000)}`, false],
  ])(
    '%s: the cookie stays under the 4 KB a browser keeps and the login completes',
    async (_n, returnTo, kept) => {
      const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: kv(), secret: 'r'.repeat(40) })
      const path = `/auth/login?returnTo=${encodeURIComponent(returnTo)}`
      const start = await browser.get(path)
      for (const line of start.headers.getSetCookie()) {
        expect((line.split(';')[0] as string).length).toBeLessThanOrEqual(4096)
      }
      const { callbackUrl } = await driveLogin(
        start.headers.get('location') as string,
        DEMO_CREDENTIALS,
      )
      const callback = new URL(callbackUrl)
      const done = await browser.get(callback.pathname + callback.search)
      expect(done.status).toBe(302)
      const landing = new URL(done.headers.get('location') as string)
      expect(decodeURIComponent(landing.pathname)).toBe(kept ? returnTo : '/')
    },
  )
})

describe('stored records', () => {
  it('with a secret, the store holds no readable token or user data', async () => {
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter: kv(), secret: 's'.repeat(40) })
    await login(browser)
    const id = browser.cookies.get('__Host-session') as string
    const key = await sessionKey(id)
    expect(key).not.toContain(id)
    const value = await env.SESSION_KV.get(key)
    expect(value).toMatch(/^v1\./)
    expect(value).not.toMatch(/eyJ|alice|accessToken/)
  })
})

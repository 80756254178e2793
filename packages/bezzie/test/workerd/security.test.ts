import { env } from 'cloudflare:workers'
import { driveLogin } from '@bezzie/idp/client'
import { describe, expect, it } from 'vitest'
import { cloudflareKVAdapter } from '../../src/adapters/kv.ts'
import { sessionKey, transactionKey } from '../../src/session/keys.ts'
import { testApp } from '../support/app.ts'
import { Browser } from '../support/browser.ts'
import { BASE_URL } from '../support/constants.ts'
import { DEMO_CREDENTIALS, login } from '../support/login.ts'

const kv = () => cloudflareKVAdapter(env.SESSION_KV)
const setup = (extra = {}) => testApp({ issuer: env.IDP_ISSUER, adapter: kv(), ...extra })

/** Starts a login and returns the IdP URL; the browser now holds the transaction cookie. */
async function startLogin(browser: Browser, path = '/auth/login') {
  const res = await browser.get(path)
  expect(res.status).toBe(302)
  return res.headers.get('location') as string
}

const pathOf = (url: string) => {
  const u = new URL(url)
  return u.pathname + u.search
}

/** Rewrites the stored (secret-less) transaction of `browser`. */
async function tamperTransaction(browser: Browser, change: (tx: Record<string, unknown>) => void) {
  const name = [...browser.cookies.keys()].find((n) => n.startsWith('__Host-session-tx-'))
  const key = await transactionKey(browser.cookies.get(name as string) as string)
  const tx = JSON.parse((await env.SESSION_KV.get(key)) as string)
  change(tx)
  await env.SESSION_KV.put(key, JSON.stringify(tx), { expirationTtl: 600 })
}

describe('login attacks', () => {
  it('login CSRF: a callback carrying another browser’s state fails and creates no session', async () => {
    const { app } = setup()
    const attacker = new Browser((r) => app.fetch(r))
    const victim = new Browser((r) => app.fetch(r))
    const { callbackUrl } = await driveLogin(await startLogin(attacker), DEMO_CREDENTIALS)
    await startLogin(victim)
    const res = await victim.get(pathOf(callbackUrl))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('login_transaction_missing')
    expect(victim.cookies.has('__Host-session')).toBe(false)
  })

  it('login CSRF: a callback in a browser with no login in progress fails', async () => {
    const { app, browser } = setup()
    const { callbackUrl } = await driveLogin(await startLogin(browser), DEMO_CREDENTIALS)
    const fresh = new Browser((r) => app.fetch(r))
    const res = await fresh.get(pathOf(callbackUrl))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('login_transaction_missing')
  })

  it('state tampering: a modified state is rejected', async () => {
    const { browser } = setup()
    const { callbackUrl } = await driveLogin(await startLogin(browser), DEMO_CREDENTIALS)
    const url = new URL(callbackUrl)
    url.searchParams.set('state', 'forged')
    const res = await browser.get(pathOf(url.href))
    expect(res.status).toBe(400)
    expect(browser.cookies.has('__Host-session')).toBe(false)
  })

  it('authorization code replay: a used callback URL does not log in again', async () => {
    const { browser } = setup()
    const { callbackUrl } = await login(browser)
    browser.cookies.clear()
    await startLogin(browser)
    const res = await browser.get(pathOf(callbackUrl))
    expect(res.status).toBe(400)
    expect(browser.cookies.has('__Host-session')).toBe(false)
  })

  it('PKCE: a wrong code_verifier makes the IdP refuse the code', async () => {
    const { browser } = setup()
    const { callbackUrl } = await driveLogin(await startLogin(browser), DEMO_CREDENTIALS)
    await tamperTransaction(browser, (tx) => {
      tx.codeVerifier = 'x'.repeat(43)
    })
    const res = await browser.get(pathOf(callbackUrl))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('token_exchange_failed')
  })

  it('ID token replay: a nonce that does not match this login is rejected', async () => {
    const { browser } = setup()
    const { callbackUrl } = await driveLogin(await startLogin(browser), DEMO_CREDENTIALS)
    await tamperTransaction(browser, (tx) => {
      tx.nonce = 'another-login'
    })
    const res = await browser.get(pathOf(callbackUrl))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('id_token_invalid')
    expect(browser.cookies.has('__Host-session')).toBe(false)
  })

  it('session fixation: login replaces a planted session id and deletes its session', async () => {
    const { browser, auth } = setup()
    const planted = await auth.sessions.create({
      user: { sub: 'attacker' },
      tokens: { accessToken: 'a', expiresAt: Math.floor(Date.now() / 1000) + 600 },
    })
    browser.cookies.set('__Host-session', planted.id)
    await login(browser)
    expect(browser.cookies.get('__Host-session')).not.toBe(planted.id)
    expect(await env.SESSION_KV.get(await sessionKey(planted.id))).toBeNull()
    const me = (await (await browser.get('/auth/me')).json()) as { user: { sub: string } }
    expect(me.user.sub).not.toBe('attacker')
  })

  it('reflected error: IdP error parameters are never echoed', async () => {
    const { browser } = setup()
    await startLogin(browser)
    const res = await browser.get(
      '/auth/callback?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=x',
    )
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text).not.toContain('script')
    expect(text).not.toContain('access_denied')
    expect(JSON.parse(text).error).toBe('idp_error')
  })

  it('open redirect: an absolute returnTo lands on defaultReturnTo after login', async () => {
    const { browser } = setup({ defaultReturnTo: '/home' })
    const { response } = await login(browser, '/auth/login?returnTo=https%3A%2F%2Fevil.example%2F')
    expect(response.headers.get('location')).toBe(`${BASE_URL}/home`)
  })

  it('open redirect: //host, /\\host and encoded variants land on defaultReturnTo', async () => {
    for (const returnTo of [
      '//evil.example',
      '/\\evil.example',
      '/%2F%2Fevil.example',
      '/%09/evil.example',
    ]) {
      const { browser } = setup()
      const { response } = await login(
        browser,
        `/auth/login?returnTo=${encodeURIComponent(returnTo)}`,
      )
      expect(response.headers.get('location')).toBe(`${BASE_URL}/`)
    }
  })

  it.each([
    ['without a secret', undefined],
    ['with a secret', 'm'.repeat(40)],
  ])(
    'step-up bypass (%s): max_age stripped from the authorization request → the login fails',
    async (_n, secret) => {
      const { browser } = setup({ secret })
      const idpUrl = new URL(await startLogin(browser, '/auth/login?max_age=300'))
      expect(idpUrl.searchParams.get('max_age')).toBe('300')
      idpUrl.searchParams.delete('max_age')
      const { callbackUrl } = await driveLogin(idpUrl.href, DEMO_CREDENTIALS)
      const res = await browser.get(pathOf(callbackUrl))
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: string }).error).toBe('id_token_invalid')
      expect(browser.cookies.has('__Host-session')).toBe(false)
    },
  )

  it('max_age honoured: a login that asked max_age completes with a recent auth_time', async () => {
    const { browser } = setup()
    const { response } = await login(browser, '/auth/login?max_age=300&returnTo=/secure')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`${BASE_URL}/secure`)
    expect((await browser.get('/auth/login?max_age=soon')).status).toBe(400)
  })

  it('parameter injection: only allow-listed authorization parameters are forwarded', async () => {
    const { browser } = setup()
    const url = new URL(
      await startLogin(
        browser,
        '/auth/login?prompt=login&login_hint=alice&redirect_uri=https://evil.example&client_id=x&scope=admin',
      ),
    )
    expect(url.searchParams.get('prompt')).toBe('login')
    expect(url.searchParams.get('login_hint')).toBe('alice')
    expect(url.searchParams.get('redirect_uri')).toBe(`${BASE_URL}/auth/callback`)
    expect(url.searchParams.get('client_id')).toBe('bezzie-test')
    expect(url.searchParams.get('scope')).not.toContain('admin')
  })
})

describe('cookie hardening', () => {
  it('sets the session cookie with exact attributes: __Host-, HttpOnly, Secure, SameSite=Lax, Path=/, no Domain', async () => {
    const { browser } = setup()
    const { response } = await login(browser)
    const cookies = response.headers.getSetCookie()
    const session = cookies.find((c) => c.startsWith('__Host-session='))
    expect(session).toBeDefined()
    const attrs = (session as string).split(';').map((a) => a.trim().toLowerCase())
    expect(attrs).toContain('httponly')
    expect(attrs).toContain('secure')
    expect(attrs).toContain('samesite=lax')
    expect(attrs).toContain('path=/')
    expect(attrs.some((a) => a.startsWith('domain'))).toBe(false)
    expect((session as string).split(';')[0]).toMatch(/^__Host-session=[\w-]{43}$/)
  })

  it('malformed cookies: an oversized or garbage session cookie is just "signed out", never a 500', async () => {
    const { browser } = setup()
    for (const value of ['x'.repeat(5000), '%%%', 'a'.repeat(44), '"quoted"']) {
      browser.cookies.set('__Host-session', value)
      const me = await browser.get('/auth/me')
      expect(me.status).toBe(200)
      expect(await me.json()).toEqual({ user: null })
      expect(browser.cookies.has('__Host-session')).toBe(false)
      browser.cookies.set('__Host-session', value)
      expect((await browser.get('/api/whoami')).status).toBe(401)
    }
  })

  it('a well-formed id the store does not know yet is not cleared (KV may not have replicated it)', async () => {
    const { browser } = setup()
    browser.cookies.set('__Host-session', 'a'.repeat(43))
    expect(await (await browser.get('/auth/me')).json()).toEqual({ user: null })
    expect((await browser.get('/api/whoami')).status).toBe(401)
    expect(browser.cookies.get('__Host-session')).toBe('a'.repeat(43))
  })

  it('malformed callback: garbage transaction cookie or oversized parameters → 400', async () => {
    const { browser } = setup()
    browser.cookies.set('__Host-session-tx-abcdefghijkl', 'garbage')
    expect((await browser.get('/auth/callback?code=x&state=abcdefghijklmnop')).status).toBe(400)
    await startLogin(browser)
    expect((await browser.get(`/auth/callback?code=${'x'.repeat(9000)}&state=y`)).status).toBe(400)
    expect((await browser.get('/auth/login?login_hint=%00x')).status).toBe(400)
  })
})

describe('malformed input', () => {
  it.each([
    '/auth/login?returnTo=%',
    '/auth/login?returnTo=%E0%A4%A&prompt=%',
    '/auth/callback?state=%&code=%',
    '/auth/callback?state=%00%00%00%00%00%00%00%00%00%00%00%00&code=x',
    '/auth/callback?error=%&state=%',
    '/auth/me?slide=%',
    '/api/whoami?%=%',
  ])('never answers 500 to %s', async (path) => {
    const { browser } = setup()
    await startLogin(browser)
    const res = await browser.get(path)
    expect(res.status).toBeLessThan(500)
  })
})

describe('malformed callbacks → 400, never 500', () => {
  it.each([
    ['without a secret', undefined],
    ['with a secret', 's'.repeat(40)],
  ])(
    '%s: 10 KB state, duplicated params, code with error, bad transaction cookies',
    async (_n, secret) => {
      const { browser } = setup({ secret })
      const idpUrl = new URL(await startLogin(browser))
      const state = idpUrl.searchParams.get('state') as string
      const attempts = [
        `/auth/callback?code=x&state=${'s'.repeat(10_000)}`,
        `/auth/callback?code=x&state=${state}&state=${state}`,
        `/auth/callback?code=x&code=y&state=${state}`,
        `/auth/callback?code=x&state=${state}&error=access_denied`,
      ]
      for (const path of attempts) {
        // Each failed callback consumes the transaction; start a fresh login for the next one.
        const fresh = new URL(await startLogin(browser))
        const res = await browser.get(
          path.replaceAll(state, fresh.searchParams.get('state') as string),
        )
        expect(res.status, path.slice(0, 80)).toBe(400)
        expect(browser.cookies.has('__Host-session')).toBe(false)
      }
      for (const value of ['!!!not-base64!!!', 'x'.repeat(6000), '%E0%A4%A', 'a.b.c']) {
        const b = new Browser((r) => setup({ secret }).app.fetch(r))
        b.cookies.set(`__Host-session-tx-${state.slice(0, 12)}`, value)
        const res = await b.get(`/auth/callback?code=x&state=${state}`)
        expect(res.status, value.slice(0, 20)).toBe(400)
      }
    },
  )
})

describe('CSRF on unsafe methods carrying the session cookie', () => {
  it('cross-site request forgery via Sec-Fetch-Site: cross-site → 403', async () => {
    const { browser } = setup()
    await login(browser)
    const res = await browser.request('/api/notes', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { error: string }).error).toBe('csrf_failed')
  })

  it('cross-site request forgery via a foreign Origin (no Fetch Metadata) → 403', async () => {
    const { browser } = setup()
    await login(browser)
    const res = await browser.request('/api/notes', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    })
    expect(res.status).toBe(403)
  })

  it('same-site sibling subdomain → 403 unless allowSameSite', async () => {
    const { browser } = setup()
    await login(browser)
    const res = await browser.request('/api/notes', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-site' },
    })
    expect(res.status).toBe(403)
  })

  it('allowSameSite: a sibling subdomain (Sec-Fetch-Site: same-site, its own Origin) passes; cross-site still 403', async () => {
    const { browser } = setup({ csrf: { allowSameSite: true } })
    await login(browser)
    const sibling = { 'sec-fetch-site': 'same-site', origin: 'https://admin.bezzie.test' }
    expect((await browser.request('/api/notes', { method: 'POST', headers: sibling })).status).toBe(
      200,
    )
    const crossSite = { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }
    expect(
      (await browser.request('/api/notes', { method: 'POST', headers: crossSite })).status,
    ).toBe(403)
    // Without Fetch Metadata only baseUrl's own Origin is trusted.
    const originOnly = { origin: 'https://admin.bezzie.test' }
    expect(
      (await browser.request('/api/notes', { method: 'POST', headers: originOnly })).status,
    ).toBe(403)
  })

  it('same-origin requests (also via a Pages Function forwarding with Origin = baseUrl) pass', async () => {
    const { browser } = setup()
    await login(browser)
    expect((await browser.post('/api/notes')).status).toBe(200)
    const viaPages = await browser.request('/api/notes', {
      method: 'POST',
      headers: { origin: BASE_URL },
    })
    expect(viaPages.status).toBe(200)
  })

  it('required-header mode (X-CSRF: 1): a request without the header → 403', async () => {
    const { browser } = setup({ csrf: { requireHeader: 'X-CSRF' } })
    await login(browser)
    expect((await browser.post('/api/notes')).status).toBe(403)
    expect((await browser.post('/api/notes', { 'x-csrf': '1' })).status).toBe(200)
  })

  it('logout CSRF: a cross-site POST /logout is refused and the session survives', async () => {
    const { browser } = setup()
    await login(browser)
    const res = await browser.request('/auth/logout', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    })
    expect(res.status).toBe(403)
    expect((await browser.get('/api/whoami')).status).toBe(200)
  })

  it('forced logout with requireHeader on: a cross-site form POST /logout is refused, the session survives', async () => {
    const { browser } = setup({ csrf: { requireHeader: 'X-CSRF' } })
    await login(browser)
    const crossSite = await browser.request('/auth/logout', {
      method: 'POST',
      headers: {
        'sec-fetch-site': 'cross-site',
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
    })
    expect(crossSite.status).toBe(403)
    const foreignOrigin = await browser.request('/auth/logout', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    })
    expect(foreignOrigin.status).toBe(403)
    expect((await browser.get('/api/whoami')).status).toBe(200)
  })

  it('forced logout with requireHeader on: a POST /logout with neither Sec-Fetch-Site nor Origin is refused', async () => {
    const { browser } = setup({ csrf: { requireHeader: 'X-CSRF' } })
    await login(browser)
    const res = await browser.request('/auth/logout', { method: 'POST' })
    expect(res.status).toBe(403)
    expect((await browser.get('/api/whoami')).status).toBe(200)
  })

  it('requireHeader on: a same-origin form POST /logout without the header logs out', async () => {
    const { browser } = setup({ csrf: { requireHeader: 'X-CSRF' } })
    await login(browser)
    const res = await browser.post('/auth/logout?returnTo=/bye', {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-mode': 'navigate',
    })
    expect(res.status).toBe(303)
    const location = new URL(res.headers.get('location') as string)
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE_URL}/bye`)
    expect(browser.cookies.has('__Host-session')).toBe(false)
    expect((await browser.get('/api/whoami')).status).toBe(401)
    // The header is still required on the API.
    expect((await browser.post('/api/notes')).status).toBe(401)
  })

  it('logout by GET (an <img> or link) is refused with 405', async () => {
    const { browser } = setup()
    await login(browser)
    const res = await browser.get('/auth/logout')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect((await browser.get('/api/whoami')).status).toBe(200)
  })
})

describe('token leakage', () => {
  it('no token in any response body, header, URL or error report', async () => {
    const { browser, errors } = setup()
    const seen: string[] = []
    const record = async (res: Response) => {
      seen.push(await res.clone().text(), JSON.stringify([...res.headers]))
      return res
    }
    const { response, authorizationUrl, callbackUrl } = await login(browser)
    await record(response)
    seen.push(authorizationUrl, callbackUrl)
    await record(await browser.get('/auth/me'))
    await record(await browser.get('/api/whoami'))
    const key = await sessionKey(browser.cookies.get('__Host-session') as string)
    const stored = JSON.parse((await env.SESSION_KV.get(key)) as string)
    await record(await browser.post('/auth/logout'))
    const { accessToken, refreshToken } = stored.tokens
    expect(accessToken).toBeTruthy()
    expect(refreshToken).toBeTruthy()
    for (const text of [...seen, JSON.stringify(errors), browser.cookieHeader()]) {
      expect(text).not.toContain(accessToken)
      expect(text).not.toContain(refreshToken)
    }
  })
})

describe('middleware responses', () => {
  it('API request without a session → 401 { error: "unauthorized" }', async () => {
    const { browser } = setup()
    const res = await browser.get('/api/whoami', { accept: 'application/json' })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'unauthorized' })
  })

  it('top-level navigation without a session → 302 to login with returnTo', async () => {
    const { browser } = setup()
    const res = await browser.get('/api/whoami?x=1', {
      accept: 'text/html,application/xhtml+xml',
      'sec-fetch-mode': 'navigate',
    })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(
      `/auth/login?returnTo=${encodeURIComponent('/api/whoami?x=1')}`,
    )
  })
})

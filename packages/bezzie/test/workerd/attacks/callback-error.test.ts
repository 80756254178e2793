import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { cloudflareKVAdapter } from '../../../src/adapters/kv.ts'
import { createBezzie } from '../../../src/create-bezzie.ts'
import { type BezzieError, type CallbackError, ConfigError } from '../../../src/errors.ts'
import { testApp } from '../../support/app.ts'
import { Browser } from '../../support/browser.ts'
import { isCounted } from '../../support/config.ts'
import { BASE_URL } from '../../support/constants.ts'
import { cancelAtIdp } from '../../support/login.ts'

const SECRET = 's'.repeat(40)

function setup(extra: Record<string, unknown> = {}) {
  const reported: BezzieError[] = []
  const t = testApp({
    issuer: env.IDP_ISSUER,
    adapter: cloudflareKVAdapter(env.SESSION_KV),
    onError: (e) => {
      if (isCounted(e)) reported.push(e)
    },
    ...extra,
  })
  return { ...t, reported }
}

/** Starts a login in `browser`; resolves the IdP authorization URL and its `state`. */
async function startLogin(browser: Browser, path = '/auth/login?returnTo=/dashboard') {
  const res = await browser.get(path)
  expect(res.status).toBe(302)
  const authorizationUrl = res.headers.get('location') as string
  return { authorizationUrl, state: new URL(authorizationUrl).searchParams.get('state') as string }
}

const pathOf = (url: URL) => url.pathname + url.search

describe.each([
  ['without a secret', undefined],
  ['with a secret', SECRET],
])('IdP error at the callback (%s)', (_name, secret) => {
  it('cancel at the IdP lands on returnTo with auth_error=access_denied, once', async () => {
    const { browser, reported } = setup({ secret })
    const { authorizationUrl } = await startLogin(
      browser,
      '/auth/login?returnTo=/dashboard%3Ftab%3D1',
    )
    const callback = await cancelAtIdp(authorizationUrl)
    expect(callback.searchParams.get('error')).toBe('access_denied')
    expect(callback.searchParams.get('error_description')).toBeTruthy()

    const res = await browser.get(pathOf(callback))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`${BASE_URL}/dashboard?tab=1&auth_error=access_denied`)
    expect(browser.cookies.has('__Host-session')).toBe(false)
    expect(reported.map((e) => [e.code, (e as CallbackError).idpError])).toEqual([
      ['idp_error', 'access_denied'],
    ])

    // The transaction is consumed: the same response again is a stray callback.
    const replay = await browser.get(pathOf(callback))
    expect(replay.status).toBe(400)
    expect(((await replay.json()) as { error: string }).error).toBe('idp_error')
  })

  it('prompt=none without an IdP session: the real login_required lands on defaultReturnTo', async () => {
    const { browser } = setup({ secret, defaultReturnTo: '/home' })
    const { authorizationUrl } = await startLogin(browser, '/auth/login?prompt=none')
    const idp = await fetch(authorizationUrl, { redirect: 'manual' })
    const callback = new URL(idp.headers.get('location') as string)
    expect(callback.searchParams.get('error')).toBe('login_required')
    const res = await browser.get(pathOf(callback))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`${BASE_URL}/home?auth_error=login_required`)
  })

  it('IdP error reflection: error_description never reaches the redirect or body', async () => {
    const { browser, reported } = setup({ secret })
    const { state } = await startLogin(browser)
    const res = await browser.get(
      `/auth/callback?error=consent_required&state=${state}` +
        '&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E%0d%0aSet-Cookie%3A%20x%3D1' +
        '&error_uri=https%3A%2F%2Fevil.example%2Fphish',
    )
    expect(res.status).toBe(302)
    const location = res.headers.get('location') as string
    expect(location).toBe(`${BASE_URL}/dashboard?auth_error=consent_required`)
    const everything = `${location}\n${[...res.headers].join('\n')}\n${await res.text()}`
    expect(everything).not.toMatch(/script|evil|alert|x=1/)
    // onError gets the description, scrubbed to plain text: no markup, no line breaks, no error_uri.
    const logged = JSON.stringify(reported.map((e) => [e.message, e.cause]))
    expect(logged).not.toMatch(/[<>]|\\r|\\n|evil/)
    expect((reported[0] as CallbackError).idpErrorDescription).toBe(
      'script alert(1) /script Set-Cookie: x 1',
    )
  })

  it('unknown error code is not reflected', async () => {
    for (const error of ['%3Cscript%3E', 'evil_code', 'access_denied%0d%0aX:1', 'ACCESS_DENIED']) {
      const { browser } = setup({ secret })
      const { state } = await startLogin(browser)
      const res = await browser.get(`/auth/callback?error=${error}&state=${state}`)
      expect(res.status, error).toBe(302)
      expect(res.headers.get('location'), error).toBe(`${BASE_URL}/dashboard?auth_error=idp_error`)
    }
  })

  it('callback error with a forged state is a 400', async () => {
    const { app, browser } = setup({ secret })
    const { state } = await startLogin(browser)
    // Another browser's real state (login CSRF), a made-up one, and one that shares the prefix
    // the transaction cookie is named after but not the rest.
    const attacker = new Browser((r) => app.fetch(r))
    const { state: attackerState } = await startLogin(attacker)
    const forged = [attackerState, 'x', `${state.slice(0, 12)}${'A'.repeat(state.length - 12)}`]
    for (const candidate of forged) {
      const res = await browser.get(
        `/auth/callback?error=access_denied&error_description=%3Cscript%3E&state=${candidate}`,
      )
      expect(res.status, candidate).toBe(400)
      expect(res.headers.get('location')).toBeNull()
      const text = await res.text()
      expect(text).not.toMatch(/script|access_denied/)
      expect(JSON.parse(text)).toMatchObject({ error: 'idp_error' })
    }
  })
})

describe('callbackErrorRedirect', () => {
  it('false keeps the 400 JSON answer even for this browser’s own login', async () => {
    const { browser, reported } = setup({ callbackErrorRedirect: false })
    const { state } = await startLogin(browser)
    const res = await browser.get(`/auth/callback?error=access_denied&state=${state}`)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'idp_error' })
    expect((reported[0] as CallbackError).idpError).toBe('access_denied')
  })

  it('a response carrying both code and error is refused (400 callback_invalid)', async () => {
    const { browser } = setup()
    const { state } = await startLogin(browser)
    const res = await browser.get(`/auth/callback?code=x&error=access_denied&state=${state}`)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: 'callback_invalid' })
  })

  it('must be a boolean', () => {
    expect(() =>
      createBezzie({
        issuer: env.IDP_ISSUER,
        clientId: 'c',
        adapter: cloudflareKVAdapter(env.SESSION_KV),
        baseUrl: BASE_URL,
        callbackErrorRedirect: 'yes' as unknown as boolean,
      }),
    ).toThrow(ConfigError)
  })
})

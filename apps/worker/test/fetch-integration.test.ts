import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { Browser } from './support/browser.ts'
import { BASE_URL } from './support/constants.ts'

describe.each([
  ['KV with its coordinator (the reference config)', { SESSION_STORE: 'kv' }],
  ['plain KV (no SESSION_COORDINATOR)', { SESSION_STORE: 'kv', SESSION_COORDINATOR: undefined }],
  ['the Durable Object store', { SESSION_STORE: 'durable-object' }],
])('the BFF with sessions in %s', (_name, store) => {
  it('answers /api/user with { user: null } for an anonymous visitor', async () => {
    const browser = new Browser(store)
    const res = await browser.request('/api/user')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ user: null })
  })

  it('logs in, lands on /dashboard and answers /api/user with the user', async () => {
    const browser = new Browser(store)
    const callback = await browser.login('alice')
    expect(callback.status).toBe(302)
    expect(callback.headers.get('location')).toBe(`${BASE_URL}/dashboard`)
    expect([...browser.cookies.keys()]).toEqual(['__Host-session'])

    const res = await browser.request('/api/user')
    const body = (await res.json()) as { user: { sub: string; name: string } }
    expect(body.user).toMatchObject({ sub: 'alice', name: 'Alice Liddell' })
  })

  it('calls the upstream /api/me with the access token, DPoP-bound (DPOP is on in wrangler.jsonc)', async () => {
    const browser = new Browser(store)
    await browser.login('bob')
    const res = await browser.request('/api/me')
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ sub: 'bob', receivedAuthorization: true, tokenType: 'DPoP' })
    // The login asked for the API's scopes, and the token the upstream verified carries them.
    expect(String(body.scope).split(' ')).toEqual(
      expect.arrayContaining(['read:notes', 'write:notes']),
    )
    expect(JSON.stringify(body)).not.toMatch(/eyJ[\w-]+\.[\w-]+\./)
  })
})

describe('DPOP=false', () => {
  it('sends the upstream a bearer token', async () => {
    const browser = new Browser({ DPOP: 'false' })
    await browser.login('alice')
    const res = await browser.request('/api/me')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ sub: 'alice', tokenType: 'Bearer' })
  })
})

describe('GET /api/idp-status', () => {
  it('says the IdP is reachable, to anyone, uncached', async () => {
    const res = await new Browser().request('/api/idp-status')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual({ reachable: true })
  })

  it('answers 503 { reachable: false } when the IdP drops the connection', async () => {
    const fault = (init: RequestInit) => fetch(`${env.ISSUER}/__idp/faults`, init)
    await fault({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'discovery', mode: 'reset' }),
    })
    try {
      const res = await new Browser().request('/api/idp-status')
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual({ reachable: false })
    } finally {
      await fault({ method: 'DELETE' })
    }
  })
})

describe('per-request construction', () => {
  it('makes no IdP call on steady-state requests although createBezzie runs per request', async () => {
    const browser = new Browser()
    await browser.login('alice')
    await browser.request('/api/me')
    const counts = async () =>
      (await (await fetch(`${env.ISSUER}/__idp/counts`)).json()) as Record<string, number>
    const before = await counts()
    for (let i = 0; i < 5; i++) {
      expect((await browser.request('/api/user')).status).toBe(200)
      expect((await browser.request('/auth/me')).status).toBe(200)
      expect((await browser.request('/api/me')).status).toBe(200)
    }
    const after = await counts()
    for (const key of ['discovery', 'jwks', 'token', 'userinfo']) {
      expect(after[key], key).toBe(before[key])
    }
  })
})

describe('your devices on KV with its coordinator (the reference config)', () => {
  it('lists the signed-in sessions through the coordinator’s index and signs one out', async () => {
    const phone = new Browser({ SESSION_STORE: 'kv' })
    const laptop = new Browser({ SESSION_STORE: 'kv' })
    await phone.login('bob')
    await laptop.login('bob')
    const listed = await phone.request('/auth/sessions')
    expect(listed.status).toBe(200)
    const { sessions } = (await listed.json()) as {
      sessions: { id: string; current: boolean }[]
    }
    const other = sessions.find((s) => !s.current)
    expect(sessions.filter((s) => s.current)).toHaveLength(1)
    if (!other) throw new Error('the other device is not listed')
    const revoked = await phone.request('/auth/sessions/revoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: other.id }),
    })
    expect(revoked.status).toBeLessThan(300)
    expect(
      ((await (await laptop.request('/api/user')).json()) as { user: unknown }).user,
    ).toBeNull()
    expect(
      ((await (await phone.request('/api/user')).json()) as { user: unknown }).user,
    ).not.toBeNull()
  })
})

describe('back-channel logout', () => {
  it('is served with the Durable Object store (a bad logout token is a 400, not a 404)', async () => {
    const res = await new Browser({ SESSION_STORE: 'durable-object' }).request(
      '/auth/backchannel-logout',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'logout_token=not-a-jwt',
      },
    )
    expect(res.status).toBe(400)
  })

  it('is served with KV and its coordinator (the reference config)', async () => {
    const res = await new Browser({ SESSION_STORE: 'kv' }).request('/auth/backchannel-logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'logout_token=not-a-jwt',
    })
    expect(res.status).toBe(400)
  })

  it('is not served with plain KV, which has no session index', async () => {
    const res = await new Browser({
      SESSION_STORE: 'kv',
      SESSION_COORDINATOR: undefined,
    }).request('/auth/backchannel-logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'logout_token=not-a-jwt',
    })
    expect(res.status).toBe(404)
  })
})

describe('the /api/* proxy', () => {
  it('forwards a POST /api/notes body upstream and reads it back', async () => {
    const browser = new Browser()
    await browser.login('alice')
    const text = `note ${crypto.randomUUID()}`
    const created = await browser.request('/api/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    })
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({ text })

    const list = (await (await browser.request('/api/notes')).json()) as {
      notes: { text: string }[]
    }
    expect(list.notes.map((n) => n.text)).toContain(text)
  })

  it('sends the upstream its DPoP-bound token with a proof, and never the browser cookie', async () => {
    const browser = new Browser()
    await browser.login('alice')
    const echo = (await (await browser.request('/api/echo')).json()) as {
      headers: Record<string, string>
      sub: string
    }
    expect(echo.sub).toBe('alice')
    expect(echo.headers.authorization).toBe('DPoP <redacted>')
    expect(echo.headers.dpop).toBe('<proof>')
    expect(echo.headers.cookie).toBeUndefined()
  })

  it('refuses /api/* without a session (401, nothing forwarded)', async () => {
    const res = await new Browser().request('/api/notes')
    expect(res.status).toBe(401)
  })

  it('refuses a cross-site POST carrying the session cookie (CSRF)', async () => {
    const browser = new Browser()
    await browser.login('alice')
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const worker = (await import('../src/index.ts')).default
    const res = await worker.fetch(
      new Request<unknown, IncomingRequestCfProperties>(`${BASE_URL}/api/notes`, {
        method: 'POST',
        headers: {
          cookie,
          'sec-fetch-site': 'cross-site',
          origin: 'https://evil.example',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ text: 'forged' }),
      }),
      browser.env,
      {} as ExecutionContext,
    )
    expect(res.status).toBe(403)
  })
})

describe('CSRF header (csrf.requireHeader: X-CSRF)', () => {
  it('refuses a same-origin API write without X-CSRF: 1 (defence in depth)', async () => {
    const browser = new Browser()
    await browser.login('alice')
    const res = await browser.request('/api/notes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'no header' }),
      csrfHeader: false,
    })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: 'csrf_failed' })
  })

  it('cross-site GET: a link on another site does not reach the API with the session (everyMethod)', async () => {
    const browser = new Browser()
    await browser.login('alice')
    for (const path of ['/api/echo', '/api/me']) {
      const res = await browser.request(path, {
        headers: {
          accept: 'text/html',
          'sec-fetch-site': 'cross-site',
          'sec-fetch-mode': 'navigate',
        },
        csrfHeader: false,
      })
      expect(res.status, path).toBe(403)
      // A person followed the link: bezzie's error page, not JSON.
      expect(await res.text()).toContain('<code>csrf_failed</code>')
    }
  })

  it('logs out with a plain same-origin form POST (no X-CSRF); the old cookie then gets nothing', async () => {
    const browser = new Browser()
    await browser.login('alice')
    const stolen = new Map(browser.cookies)
    const res = await browser.request('/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      csrfHeader: false,
    })
    expect(res.status).toBe(303)
    const location = new URL(res.headers.get('location') as string)
    expect(location.origin).toBe(new URL(env.ISSUER).origin)
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE_URL}/`)

    const replay = new Browser()
    for (const [name, value] of stolen) replay.cookies.set(name, value)
    expect(await (await replay.request('/auth/me')).json()).toEqual({ user: null })
    expect((await replay.request('/api/notes')).status).toBe(401)
  })
})

describe('logout while the IdP is down', () => {
  it('ends the session and lands on this site instead of the unreachable IdP logout page', async () => {
    const browser = new Browser()
    await browser.login('alice')
    const fault = (init: RequestInit) => fetch(`${env.ISSUER}/__idp/faults`, init)
    await fault({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: 'discovery', mode: 'reset' }),
    })
    try {
      const res = await browser.request('/auth/logout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
        csrfHeader: false,
      })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe(`${BASE_URL}/`)
      expect(res.headers.getSetCookie().join()).toMatch(/__Host-session=;.*Max-Age=0/i)
    } finally {
      await fault({ method: 'DELETE' })
    }
    expect(await (await browser.request('/auth/me')).json()).toEqual({ user: null })
  })
})

describe('GET /api/me when the upstream fails', () => {
  it('answers 502 JSON when the upstream is unreachable', async () => {
    const browser = new Browser({ UPSTREAM_URL: env.UNREACHABLE_URL })
    await browser.login('alice')
    const res = await browser.request('/api/me')
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: 'upstream_unreachable' })
  })

  it('answers 502 JSON when the upstream answers with an error', async () => {
    // The IdP has no /api/me: a 404 from "the upstream".
    const browser = new Browser({ UPSTREAM_URL: env.ISSUER })
    await browser.login('alice')
    const res = await browser.request('/api/me')
    expect(res.status).toBe(502)
    const body = (await res.json()) as { error: string; message: string }
    expect(body.error).toBe('upstream_error')
    expect(body.message).toContain('HTTP 404')
  })
})

describe('configuration from the environment', () => {
  it.each([
    ['ISSUER', { ISSUER: 'not a url' }],
    ['ISSUER', { ISSUER: 'http://idp.example.com' }],
    ['ISSUER', { PROVIDER: 'auth0', ISSUER: 'https://tenant.auth0.com/some/path' }],
    ['PROVIDER', { PROVIDER: 'okta' }],
    ['CLIENT_SECRET', { CLIENT_SECRET: undefined }],
    ['BASE_URL', { BASE_URL: 'https://app.example.com/some/path' }],
    ['UPSTREAM_URL', { UPSTREAM_URL: '' }],
    ['SESSION_STORE', { SESSION_STORE: 'redis' }],
    ['SESSION_SECRET', { SESSION_SECRET: 'short' }],
    ['SESSION_KV', { SESSION_KV: undefined }],
    ['SESSION_DO', { SESSION_STORE: 'durable-object', SESSION_DO: undefined }],
    ['REFRESH_BUFFER_SECONDS', { REFRESH_BUFFER_SECONDS: '-5' }],
    ['SCOPES', { SCOPES: 'profile email' }],
    ['DPOP', { DPOP: 'yes' }],
  ])('names %s in a JSON 500 when it is invalid', async (variable, overrides) => {
    const res = await new Browser(overrides).request('/auth/me')
    expect(res.status).toBe(500)
    const body = (await res.json()) as { error: string; variable: string; message: string }
    expect(body).toMatchObject({ error: 'server_misconfigured', variable })
    expect(body.message).toContain(variable)
    expect(body.message).not.toMatch(/\bat .*\.ts:\d+/)
  })
})

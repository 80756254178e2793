import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { driveLogin } from '@bezzie/idp/client'
import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import type { BezzieConfig } from '../../src/config.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { resetRefreshState } from '../../src/refresh.ts'
import { sessionKey } from '../../src/session/keys.ts'
import { parseRecord } from '../../src/session/record.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { Browser } from '../support/browser.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'
import { DEMO_CREDENTIALS, login } from '../support/login.ts'

// Everything bezzie (or an `onError` that logs the whole error, cause chain included) writes to
// the console during logins, refreshes and failures must be free of tokens and codes.

let broken: Server
let brokenOrigin: string
const logged: string[] = []
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]*/

beforeAll(async () => {
  // A token endpoint that always fails like an overloaded IdP.
  broken = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: 'temporarily_unavailable' }))
  })
  await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r))
  brokenOrigin = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`
  for (const level of ['error', 'warn', 'log', 'info', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => inspect(a, { depth: 20, showHidden: true })).join(' '))
    })
  }
})

afterAll(async () => {
  vi.restoreAllMocks()
  await new Promise((r) => broken.close(r))
})

afterEach(() => {
  logged.length = 0
})

function app(adapter: MemoryAdapter, extra: Partial<BezzieConfig> = {}) {
  const auth = createBezzie({
    issuer: inject('idpIssuer'),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    adapter,
    baseUrl: BASE_URL,
    // What many apps write: log the whole error object.
    onError: (e) => console.error(e),
    ...extra,
  })
  const hono = new Hono<BezzieEnv>()
  hono.route('/auth', auth.routes())
  hono.use('/api/*', auth.middleware())
  hono.get('/api/whoami', (c) => c.json({ sub: c.var.user.sub }))
  return new Browser((r) => hono.fetch(r))
}

async function stored(adapter: MemoryAdapter, browser: Browser) {
  const raw = await adapter.get(await sessionKey(browser.cookies.get('__Host-session') as string))
  const record = raw === null ? null : parseRecord(raw)
  if (!record) throw new Error('no session')
  return record
}

describe('no token, code or secret in any log line', () => {
  it('through login, refresh, IdP outages, invalid_grant, callback attacks and logout', async () => {
    const adapter = new MemoryAdapter()
    const secrets = new Set<string>([CLIENT_SECRET])
    const browser = app(adapter, { refreshBufferSeconds: 3600 })

    const { callbackUrl } = await login(browser)
    secrets.add(new URL(callbackUrl).searchParams.get('code') as string)
    const first = await stored(adapter, browser)
    for (const t of [first.tokens.accessToken, first.tokens.refreshToken, first.tokens.idToken]) {
      if (t) secrets.add(t)
    }
    // Every request refreshes (1-hour buffer, 5-minute tokens).
    expect((await browser.get('/api/whoami')).status).toBe(200)
    const refreshed = await stored(adapter, browser)
    secrets.add(refreshed.tokens.accessToken)

    // A transient refresh failure (the IdP's token endpoint answers 503).
    const outage = app(adapter, {
      refreshBufferSeconds: 3600,
      providerOverrides: { tokenEndpoint: `${brokenOrigin}/token` },
    })
    for (const [k, v] of browser.cookies) outage.cookies.set(k, v)
    expect((await outage.get('/api/whoami')).status).toBe(200)
    // That failure started a backoff for this session; the next step is not about backoff.
    resetRefreshState()

    // Callback attacks: a replayed code, a code with another state, both code and error.
    const replay = new URL(callbackUrl)
    expect((await browser.get(replay.pathname + replay.search)).status).toBe(400)
    const attacker = app(adapter)
    const start = await attacker.get('/auth/login')
    const { callbackUrl: fresh } = await driveLogin(
      start.headers.get('location') as string,
      DEMO_CREDENTIALS,
    )
    const freshUrl = new URL(fresh)
    secrets.add(freshUrl.searchParams.get('code') as string)
    const wrongIssuer = new URLSearchParams(freshUrl.search)
    wrongIssuer.set('iss', 'https://evil.example')
    expect((await attacker.get(`/auth/callback?${wrongIssuer}`)).status).toBe(400)
    const wrongState = new URLSearchParams(freshUrl.search)
    wrongState.set('state', 'x'.repeat(43))
    expect((await attacker.get(`/auth/callback?${wrongState}`)).status).toBe(400)
    const withError = new URLSearchParams(freshUrl.search)
    withError.set('error', 'access_denied')
    expect((await attacker.get(`/auth/callback?${withError}`)).status).toBe(400)

    // invalid_grant: the IdP no longer knows the refresh token.
    const revoked = await fetch(`${inject('idpIssuer')}/token/revocation`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: refreshed.tokens.refreshToken as string }),
    })
    expect(revoked.ok).toBe(true)
    expect((await browser.get('/api/whoami')).status).toBe(401)

    // A second user logs in and out (revocation, end_session URL).
    const second = app(adapter)
    await login(second)
    const secondRecord = await stored(adapter, second)
    secrets.add(secondRecord.tokens.accessToken)
    if (secondRecord.tokens.idToken) secrets.add(secondRecord.tokens.idToken)
    expect((await second.post('/auth/logout')).status).toBe(303)

    expect(logged.length).toBeGreaterThan(3)
    const text = logged.join('\n')
    for (const secret of secrets) expect(text).not.toContain(secret)
    expect(text).not.toMatch(JWT)
  })
})

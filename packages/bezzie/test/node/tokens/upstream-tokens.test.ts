import type { AddressInfo } from 'node:net'
import type { Idp } from '@bezzie/idp'
import { startIdp } from '@bezzie/idp'
import { bffClientMetadata } from '@bezzie/test-support/idp'
import { serve } from '@hono/node-server'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { createBezzie } from '../../../src/create-bezzie.ts'
import { ConfigError } from '../../../src/errors.ts'
import { clearClientTokenCache } from '../../../src/tokens/client-credentials.ts'
import { testApp } from '../../support/app.ts'
import { Browser } from '../../support/browser.ts'
import { testConfig } from '../../support/config.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../../support/constants.ts'
import { login } from '../../support/login.ts'

// Tokens for more than one API, end to end: the real IdP issues them (client credentials, and the
// user's refresh token redeemed per API with RFC 8707 resource indicators) and the real
// apps/upstream-mock verifies each one against its own audience.

const BILLING = 'https://billing.bezzie.test'
/** What bezzie-react's fetch helper sends; auth.proxy() requires it on every method. */
const XCSRF = { 'x-csrf': '1' }
const ACCESS_TOKEN_TTL = 3600

interface Whoami {
  api: string
  aud: string | string[]
  sub: string
  clientId: string | null
  scope: string | null
}

let idp: Idp
let upstreamOrigin: string

beforeAll(async () => {
  const bff = bffClientMetadata({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    origins: [BASE_URL],
  })
  idp = await startIdp({
    port: 0,
    clients: [
      { ...bff, grant_types: ['authorization_code', 'refresh_token', 'client_credentials'] },
      // A client the IdP does not allow the client credentials grant.
      { ...bff, client_id: 'no-service', client_secret: 'no-service-secret-0123456789' },
    ],
    resource: AUDIENCE,
    apis: [{ resource: BILLING, scopes: ['read:invoices'] }],
    clientCredentials: true,
    accessTokenTtl: ACCESS_TOKEN_TTL,
  })
  upstreamOrigin = await serveUpstream(idp.issuer)
})

const upstreams: ReturnType<typeof serve>[] = []

/** The upstream-mock Worker's own Hono app trusting `issuer`, served on Node (it needs only fetch and jose). */
async function serveUpstream(issuer: string): Promise<string> {
  const modulePath = new URL('../../../../../apps/upstream-mock/src/index.ts', import.meta.url).href
  const worker = (await import(modulePath)) as {
    default: { fetch(request: Request, env: Record<string, string>): Promise<Response> }
  }
  const env = { ISSUER: issuer, AUDIENCE, BILLING_AUDIENCE: BILLING }
  const server = serve({
    fetch: (req) => worker.default.fetch(req, env),
    port: 0,
    hostname: '127.0.0.1',
  })
  upstreams.push(server)
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

afterAll(async () => {
  await idp?.stop()
  await Promise.all(upstreams.map((server) => new Promise((resolve) => server.close(resolve))))
})

beforeEach(() => {
  clearClientTokenCache()
  idp.resetCounts()
})
afterEach(() => {
  vi.restoreAllMocks()
})

function apisApp(
  extra: Parameters<typeof testApp>[0] extends infer T ? Partial<T> : never = {},
  origin = upstreamOrigin,
) {
  const upstreamOrigin = origin
  const t = testApp({
    issuer: idp.issuer,
    adapter: new MemoryAdapter(),
    resources: [BILLING],
    ...extra,
  })
  const { app, auth } = t
  // The user's token for each API.
  app.all(
    '/api/billing/*',
    auth.proxy({
      upstream: `${upstreamOrigin}/billing/api`,
      stripPrefix: '/api/billing',
      resource: BILLING,
    }),
  )
  app.all(
    '/api/main/*',
    auth.proxy({ upstream: `${upstreamOrigin}/api`, stripPrefix: '/api/main' }),
  )
  // The app's own token: no session needed.
  app.all(
    '/svc/billing/*',
    auth.proxy({
      upstream: `${upstreamOrigin}/billing/api`,
      stripPrefix: '/svc/billing',
      token: 'client',
      resource: BILLING,
      scope: 'read:invoices',
    }),
  )
  app.all(
    '/svc/none/*',
    auth.proxy({
      upstream: `${upstreamOrigin}/billing/api`,
      stripPrefix: '/svc/none',
      token: 'none',
    }),
  )
  app.use('/maybe/*', auth.optionalMiddleware())
  app.all(
    '/maybe/billing/*',
    auth.proxy({
      upstream: `${upstreamOrigin}/billing/api`,
      stripPrefix: '/maybe/billing',
      token: 'user-or-client',
      resource: BILLING,
    }),
  )
  // A handler calling the second API itself with c.var.getAccessToken().
  app.get('/api/invoices-summary', async (c) => {
    const token = await c.var.getAccessToken({ resource: BILLING })
    const res = await fetch(`${upstreamOrigin}/billing/api/whoami`, {
      headers: { authorization: `Bearer ${token}` },
    })
    return c.json({ status: res.status, whoami: await res.json() })
  })
  return t
}

describe("token: 'client' (client credentials)", () => {
  it('sends the app its own token for the API it names: aud is that API, sub the client', async () => {
    const { browser } = apisApp()
    const res = await browser.get('/svc/billing/whoami', XCSRF)
    expect(res.status).toBe(200)
    const body = (await res.json()) as Whoami
    expect(body).toMatchObject({ api: 'billing', aud: BILLING, clientId: CLIENT_ID })
    expect(body.scope).toBe('read:invoices')
    expect(idp.counts['grant:client_credentials']).toBe(1)
  })

  it('makes one grant for 100 concurrent requests, then serves from the isolate cache', async () => {
    const { browser } = apisApp()
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => browser.get('/svc/billing/whoami', XCSRF)),
    )
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200))
    expect(idp.counts['grant:client_credentials']).toBe(1)
    // Another bezzie instance (createBezzie per request) shares the isolate's cache.
    const again = apisApp()
    expect((await again.browser.get('/svc/billing/whoami', XCSRF)).status).toBe(200)
    expect(idp.counts['grant:client_credentials']).toBe(1)
  })

  it('renews the token refreshBufferSeconds before it expires, once', async () => {
    const { browser } = apisApp()
    expect((await browser.get('/svc/billing/whoami', XCSRF)).status).toBe(200)
    const nearExpiry = Date.now() + (ACCESS_TOKEN_TTL - 30) * 1000
    vi.spyOn(Date, 'now').mockReturnValue(nearExpiry)
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => browser.get('/svc/billing/whoami', XCSRF)),
    )
    expect(responses.every((r) => r.status === 200)).toBe(true)
    expect(idp.counts['grant:client_credentials']).toBe(2)
  })

  it('answers 502 client_credentials_failed naming the OAuth error when the IdP refuses the client the grant', async () => {
    const { browser, errors } = apisApp({
      clientId: 'no-service',
      clientSecret: 'no-service-secret-0123456789',
    })
    const res = await browser.get('/svc/billing/whoami', XCSRF)
    expect(res.status).toBe(502)
    const body = (await res.json()) as { error: string; message: string }
    expect(body.error).toBe('client_credentials_failed')
    expect(body.message).toBe('the IdP refused the client credentials grant (invalid_request)')
    expect(errors.map((e) => e.code)).toContain('client_credentials_failed')
  })

  it('auth.clientToken() hands the same cached token to application code', async () => {
    const { auth } = apisApp()
    const [a, b] = await Promise.all([
      auth.clientToken({ resource: BILLING }),
      auth.clientToken({ resource: BILLING }),
    ])
    expect(a).toBe(b)
    expect(idp.counts['grant:client_credentials']).toBe(1)
  })
})

describe("token: 'user' with a resource (RFC 8707)", () => {
  it('the second API receives a user token whose aud is its own; the main API its own token', async () => {
    const { browser } = apisApp()
    await login(browser)
    const billing = await browser.get('/api/billing/whoami', XCSRF)
    expect(billing.status).toBe(200)
    expect((await billing.json()) as Whoami).toMatchObject({
      aud: BILLING,
      sub: 'alice',
      clientId: CLIENT_ID,
    })
    const main = await browser.get('/api/main/me', XCSRF)
    expect(main.status).toBe(200)
    expect(await main.json()).toMatchObject({ sub: 'alice' })
    expect(idp.counts['grant:refresh_token']).toBe(1)
  })

  it('keeps the token per session: later requests make no grant, another session gets its own', async () => {
    const { app, browser } = apisApp()
    await login(browser)
    await browser.get('/api/billing/whoami', XCSRF)
    await browser.get('/api/billing/whoami', XCSRF)
    expect(idp.counts['grant:refresh_token']).toBe(1)
    const other = new Browser((r) => app.fetch(r))
    await login(other)
    expect((await other.get('/api/billing/whoami', XCSRF)).status).toBe(200)
    expect(idp.counts['grant:refresh_token']).toBe(2)
  })

  it('fetches it once for 20 concurrent requests of a session (single flight)', async () => {
    const { browser } = apisApp()
    await login(browser)
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => browser.get('/api/billing/whoami', XCSRF)),
    )
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200))
    expect(idp.counts['grant:refresh_token']).toBe(1)
  })

  it('c.var.getAccessToken({ resource }) gives a handler the user token for another API', async () => {
    const { browser } = apisApp()
    await login(browser)
    const res = await browser.get('/api/invoices-summary')
    expect(await res.json()).toMatchObject({ status: 200, whoami: { aud: BILLING, sub: 'alice' } })
  })

  it('answers 502 resource_token_failed for an API the login did not ask for (the IdP refuses it)', async () => {
    const { browser } = apisApp({ resources: [] })
    await login(browser)
    const res = await browser.get('/api/billing/whoami', XCSRF)
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: 'resource_token_failed' })
  })

  it('answers 401 to a signed-out request', async () => {
    const { browser } = apisApp()
    expect((await browser.get('/api/billing/whoami', XCSRF)).status).toBe(401)
  })
})

describe("token: 'user-or-client' and 'none'", () => {
  it("sends the user's token when signed in and the app's when not", async () => {
    const { browser, app } = apisApp()
    const anonymous = new Browser((r) => app.fetch(r))
    const asClient = (await (await anonymous.get('/maybe/billing/whoami', XCSRF)).json()) as Whoami
    expect(asClient.sub).toBe(CLIENT_ID)
    await login(browser)
    const asUser = (await (await browser.get('/maybe/billing/whoami', XCSRF)).json()) as Whoami
    expect(asUser).toMatchObject({ sub: 'alice', aud: BILLING })
  })

  it("sends no Authorization header with token: 'none' (the API answers 401)", async () => {
    const { browser } = apisApp()
    await login(browser)
    expect((await browser.get('/svc/none/whoami', XCSRF)).status).toBe(401)
  })
})

describe('proxy token options', () => {
  it.each([
    [{ token: 'service' }, 'proxy.token'],
    [{ resource: 'billing' }, 'proxy.resource'],
    [{ token: 'user', scope: 'read' }, 'proxy.scope'],
    [{ token: 'client', scope: ' ' }, 'proxy.scope'],
  ])('rejects %j with a ConfigError naming %s', (options, option) => {
    const auth = createBezzie(testConfig(idp.issuer))
    let error: unknown
    try {
      auth.proxy({ upstream: 'https://api.example.com', ...(options as object) })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).option).toBe(option)
  })

  it('rejects resources that are not absolute URIs (ConfigError naming resources)', () => {
    expect(() => createBezzie(testConfig(idp.issuer, { resources: ['billing'] }))).toThrow(
      ConfigError,
    )
  })
})

describe('per-API tokens with refresh token rotation', () => {
  let rotating: Idp
  beforeAll(async () => {
    rotating = await startIdp({
      port: 0,
      clients: [
        bffClientMetadata({
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          origins: [BASE_URL],
        }),
      ],
      resource: AUDIENCE,
      apis: [{ resource: BILLING, scopes: ['read:invoices'] }],
      rotateRefreshTokens: true,
      accessTokenTtl: ACCESS_TOKEN_TTL,
    })
  })
  afterAll(() => rotating?.stop())

  it('writes the rotated refresh token back, so the next main refresh does not replay the old one (grant revoked)', async () => {
    const { browser, errors } = apisApp(
      { issuer: rotating.issuer },
      await serveUpstream(rotating.issuer),
    )
    await login(browser)
    expect((await browser.get('/api/billing/whoami', XCSRF)).status).toBe(200)
    // The main token now needs a refresh: with the pre-rotation refresh token the IdP would
    // treat it as a replay and revoke the whole grant.
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + ACCESS_TOKEN_TTL * 1000)
    expect((await browser.get('/api/whoami')).status).toBe(200)
    expect((await browser.get('/api/billing/whoami', XCSRF)).status).toBe(200)
    expect(rotating.counts['grant:refresh_token']).toBe(3)
    expect(errors).toEqual([])
  })
})

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BezzieConfig } from '../../src/config.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { clearDiscoveryCache, primeDiscovery } from '../../src/oidc/discovery.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { Browser } from '../support/browser.ts'
import { isCounted, testConfig } from '../support/config.ts'
import { login } from '../support/login.ts'

// An IdP endpoint that accepts the connection and never answers: every IdP call must give up
// after bezzie's 5 s timeout instead of hanging the request.

let hanging: Server
let hangingOrigin: string

beforeAll(async () => {
  hanging = createServer(() => {})
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r))
  hangingOrigin = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`
})

afterAll(async () => {
  hanging.closeAllConnections()
  await new Promise((r) => hanging.close(r))
})

afterEach(() => clearDiscoveryCache())

/** The real IdP's discovery document with some endpoints pointed at the hanging server. */
async function primeWith(overrides: Record<string, string>) {
  const issuer = inject('idpIssuer')
  const response = await fetch(`${issuer}/.well-known/openid-configuration`)
  const metadata = (await response.json()) as Parameters<typeof primeDiscovery>[0]
  primeDiscovery({ ...metadata, ...overrides })
}

function setup(extra: Partial<BezzieConfig> = {}) {
  const errors: string[] = []
  const auth = createBezzie(
    testConfig(inject('idpIssuer'), {
      onError: (e) => {
        if (isCounted(e)) errors.push(e.code)
      },
      ...extra,
    }),
  )
  const app = new Hono<BezzieEnv>()
  app.route('/auth', auth.routes())
  return { browser: new Browser((r) => app.fetch(r)), errors }
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now()
  const result = await run()
  return [result, Date.now() - started]
}

describe('5 s timeout on every IdP call', () => {
  it('discovery: a hanging discovery endpoint → 502 discovery_failed after ~5 s', async () => {
    const { browser, errors } = setup({ issuer: hangingOrigin })
    const [res, ms] = await timed(() => browser.get('/auth/login'))
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: 'discovery_failed' })
    expect(ms).toBeGreaterThanOrEqual(4500)
    expect(ms).toBeLessThan(8000)
    expect(errors).toEqual(['discovery_failed'])
  })

  it('JWKS: a hanging JWKS endpoint fails the callback after ~5 s, no session, not a 500', async () => {
    await primeWith({ jwks_uri: `${hangingOrigin}/jwks` })
    const { browser, errors } = setup()
    const [{ response }, ms] = await timed(() => login(browser))
    expect(response.status).toBe(502)
    expect(await response.json()).toMatchObject({ error: 'access_token_invalid' })
    expect(ms).toBeGreaterThanOrEqual(4500)
    expect(ms).toBeLessThan(10_000)
    expect(browser.cookies.has('__Host-session')).toBe(false)
    expect(errors).toEqual(['access_token_invalid'])
  })

  it('revocation: a hanging revocation endpoint still logs out after ~5 s (reported)', async () => {
    await primeWith({ revocation_endpoint: `${hangingOrigin}/revoke` })
    const { browser, errors } = setup()
    await login(browser)
    const [res, ms] = await timed(() => browser.post('/auth/logout'))
    expect(res.status).toBe(303)
    expect(ms).toBeGreaterThanOrEqual(4500)
    expect(ms).toBeLessThan(8000)
    expect(browser.cookies.has('__Host-session')).toBe(false)
    expect(errors).toEqual(['revocation_failed'])
  })
})

import { env } from 'cloudflare:workers'
import { driveLogin } from '@bezzie/idp/client'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { createBezzie } from '../../../src/create-bezzie.ts'
import type { BezzieError } from '../../../src/errors.ts'
import { Browser } from '../../support/browser.ts'
import { testConfig } from '../../support/config.ts'
import { DEMO_CREDENTIALS, idpCounts } from '../../support/login.ts'

const SECRET = 'transaction-binding-test-secret-0123456789'

/**
 * One app, two bezzie instances with two IdPs and the same cookie name: `/auth` (IdP A) and
 * `/custom` with its callback at `/custom/cb` (IdP B).
 */
function twoInstances(secret: string | undefined) {
  const adapter = new MemoryAdapter()
  const errors: BezzieError[] = []
  const onError = (e: BezzieError) => errors.push(e)
  const a = createBezzie(testConfig(env.IDP_ISSUER, { adapter, secret, onError }))
  const b = createBezzie(
    testConfig(env.IDP_ROTATING_ISSUER, {
      adapter,
      secret,
      onError,
      routes: { basePath: '/custom', callback: '/cb' },
    }),
  )
  const app = new Hono()
  app.route('/auth', a.routes())
  app.route('/custom', b.routes())
  return { browser: new Browser((r) => app.fetch(r)), errors }
}

describe.each([
  ['with a secret', SECRET],
  ['without a secret', undefined],
])('transaction binding (%s)', (_name, secret) => {
  it('mix-up: instance B does not accept (or consume) the transaction instance A started', async () => {
    const { browser } = twoInstances(secret)
    const start = await browser.get('/auth/login?returnTo=/a')
    const { callbackUrl } = await driveLogin(
      start.headers.get('location') as string,
      DEMO_CREDENTIALS,
    )
    const query = new URL(callbackUrl).search
    const txBefore = [...browser.cookies.keys()].filter((n) => n.includes('-tx-'))
    const tokensAtB = (await idpCounts(env.IDP_ROTATING_ISSUER)).token ?? 0

    const atB = await browser.get(`/custom/cb${query}`)
    expect(atB.status).toBe(400)
    expect(((await atB.json()) as { error: string }).error).toBe('login_transaction_missing')
    expect((await idpCounts(env.IDP_ROTATING_ISSUER)).token ?? 0).toBe(tokensAtB)
    expect([...browser.cookies.keys()].filter((n) => n.includes('-tx-'))).toEqual(txBefore)

    // A's own callback still completes the login.
    const atA = await browser.get(`/auth/callback${query}`)
    expect(atA.status).toBe(302)
    expect(atA.headers.get('location')).toMatch(/\/a$/)
    expect(browser.cookies.has('__Host-session')).toBe(true)
  })
})

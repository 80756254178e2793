import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { testApp } from '../support/app.ts'
import { login } from '../support/login.ts'

// The two mistakes a new user makes most, each answered with a message that names the cause
// instead of hiding it in `cause`.
describe('misconfiguration messages', () => {
  it('a missing clientSecret names invalid_client on the failed callback', async () => {
    const { browser, errors } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      clientSecret: undefined,
    })
    const { response } = await login(browser)
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: string; message: string }
    expect(body.error).toBe('token_exchange_failed')
    expect(body.message).toContain('invalid_client')
    expect(body.message).toContain('clientSecret')
    expect(errors.map((e) => e.message).join('\n')).toContain('invalid_client')
    expect(browser.cookies.has('__Host-session')).toBe(false)
  })

  it('an issuer spelled differently from the IdP metadata names the issuer to use', async () => {
    const idp = new URL(env.IDP_ISSUER)
    const other = idp.hostname === 'localhost' ? '127.0.0.1' : 'localhost'
    const misspelled = `${idp.protocol}//${other}:${idp.port}`
    const { browser, errors } = testApp({ issuer: misspelled, adapter: new MemoryAdapter() })
    const res = await browser.get('/auth/login')
    expect(res.status).toBe(502)
    const body = (await res.json()) as { error: string; message?: string }
    expect(body.error).toBe('discovery_failed')
    const reported = errors.find((e) => e.code === 'discovery_failed')?.message ?? ''
    expect(reported).toContain(JSON.stringify(new URL(env.IDP_ISSUER).href.replace(/\/$/, '')))
    expect(reported).toContain('set `issuer` to exactly that value')
  })
})

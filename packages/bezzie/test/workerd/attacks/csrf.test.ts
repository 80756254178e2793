import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { cloudflareKVAdapter } from '../../../src/adapters/kv.ts'
import { testApp } from '../../support/app.ts'
import { login } from '../../support/login.ts'

const setup = (extra = {}) =>
  testApp({ issuer: env.IDP_ISSUER, adapter: cloudflareKVAdapter(env.SESSION_KV), ...extra })

const post = (headers: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'text/plain', ...headers },
  body: 'forged',
})

describe('CSRF edge cases', () => {
  it('forgery from a sandboxed iframe or data: URL (Origin: null) → 403, on the API and on logout', async () => {
    const { browser } = setup()
    await login(browser)
    expect((await browser.request('/api/notes', post({ origin: 'null' }))).status).toBe(403)
    expect((await browser.request('/auth/logout', post({ origin: 'null' }))).status).toBe(403)
    expect((await browser.get('/api/whoami')).status).toBe(200)
  })

  it('a user-initiated context (Sec-Fetch-Site: none) does not launder a foreign Origin', async () => {
    const { browser } = setup()
    await login(browser)
    const forged = post({ 'sec-fetch-site': 'none', origin: 'https://evil.example' })
    expect((await browser.request('/api/notes', forged)).status).toBe(403)
  })

  it('no Fetch Metadata and no Origin (a non-browser client): allowed by default, refused with requireHeader', async () => {
    // Documented trade-off: every browser that omits both headers on a cross-site POST also
    // withholds the SameSite=Lax cookie, so only a client holding the cookie itself gets here.
    const open = setup()
    await login(open.browser)
    expect((await open.browser.request('/api/notes', post({}))).status).toBe(200)
    const strict = setup({ csrf: { requireHeader: 'X-CSRF' } })
    await login(strict.browser)
    expect((await strict.browser.request('/api/notes', post({}))).status).toBe(403)
    expect((await strict.browser.request('/api/notes', post({ 'x-csrf': '1' }))).status).toBe(200)
  })
})

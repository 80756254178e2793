import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { testApp } from '../../support/app.ts'
import { Browser } from '../../support/browser.ts'
import { BASE_URL } from '../../support/constants.ts'
import { login } from '../../support/login.ts'

const EVIL = 'https://evil.example'

describe('Host header poisoning', () => {
  it('a spoofed Host never reaches the redirect_uri, the post-login or the post-logout redirect', async () => {
    const { app } = testApp({ issuer: env.IDP_ISSUER, adapter: new MemoryAdapter() })
    // Every request arrives with the attacker's Host (as on Node, or a wildcard route).
    const browser = new Browser((r) => app.fetch(new Request(r.url.replace(BASE_URL, EVIL), r)))
    const { authorizationUrl, response } = await login(browser)
    expect(new URL(authorizationUrl).searchParams.get('redirect_uri')).toBe(
      `${BASE_URL}/auth/callback`,
    )
    expect(response.headers.get('location')).toBe(`${BASE_URL}/dashboard`)

    const anonymous = new Browser((r) => app.fetch(new Request(r.url.replace(BASE_URL, EVIL), r)))
    const navigation = await anonymous.get('/api/whoami', { accept: 'text/html' })
    expect(navigation.status).toBe(302)
    expect(navigation.headers.get('location')).toMatch(/^\/auth\/login\?/)

    const logout = await browser.request('/auth/logout', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin', origin: BASE_URL },
    })
    expect(logout.status).toBe(303)
    const target = new URL(logout.headers.get('location') as string)
    expect(target.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE_URL}/`)
    expect(logout.headers.get('location')).not.toContain('evil.example')
  })
})

import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { cloudflareKVAdapter } from '../../../src/adapters/kv.ts'
import { testApp } from '../../support/app.ts'
import { BASE_URL } from '../../support/constants.ts'
import { login } from '../../support/login.ts'

const setup = () =>
  testApp({ issuer: env.IDP_ISSUER, adapter: cloudflareKVAdapter(env.SESSION_KV) })

// `https://app//evil.example` is same-origin, but any later consumer of its path (a host's
// trailing-slash or clean-URL redirect, a router) turns it into the scheme-relative `//evil.example`.
const DOT_SEGMENT_VARIANTS = [
  '/.//evil.example',
  '/..//evil.example',
  '/a/..//evil.example',
  '/%2e%2e//evil.example',
]

describe('open redirect through dot segments', () => {
  it('login: a returnTo that normalizes to //host lands on defaultReturnTo', async () => {
    for (const returnTo of DOT_SEGMENT_VARIANTS) {
      const { browser } = setup()
      const { response } = await login(
        browser,
        `/auth/login?returnTo=${encodeURIComponent(returnTo)}`,
      )
      expect(response.headers.get('location'), returnTo).toBe(`${BASE_URL}/`)
    }
  })

  it('logout: a returnTo that normalizes to //host is not the post-logout redirect', async () => {
    const { browser } = setup()
    for (const returnTo of DOT_SEGMENT_VARIANTS) {
      const res = await browser.post(`/auth/logout?returnTo=${encodeURIComponent(returnTo)}`)
      expect(res.status).toBe(303)
      // Signed out, the browser goes straight to the post-logout landing page.
      expect(res.headers.get('location'), returnTo).toBe(`${BASE_URL}/`)
    }
  })

  it('unicode look-alikes (fullwidth solidus, ideographic space) stay paths on our origin', async () => {
    for (const returnTo of [
      '/\uFF0F\uFF0Fevil.example',
      '/\u3000/evil.example',
      '/@evil.example',
    ]) {
      const { browser } = setup()
      const { response } = await login(
        browser,
        `/auth/login?returnTo=${encodeURIComponent(returnTo)}`,
      )
      expect(new URL(response.headers.get('location') as string).origin, returnTo).toBe(BASE_URL)
    }
  })
})

import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { sessionKey } from '../../src/session/keys.ts'
import { testApp } from '../support/app.ts'
import { Browser } from '../support/browser.ts'
import { CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'
import { idpClearFaults, idpFault, login } from '../support/login.ts'

// "Log out everywhere" must also end what the sessions could still do at the IdP: their refresh
// tokens are revoked there, as at logout, not only forgotten by this app.

async function refreshTokenOf(adapter: MemoryAdapter, browser: Browser): Promise<string> {
  const id = browser.cookies.get('__Host-session') as string
  const record = JSON.parse((await adapter.get(await sessionKey(id))) as string)
  const token = record.tokens.refreshToken as string
  expect(token).toBeTruthy()
  return token
}

/** Redeems a refresh token at the IdP's token endpoint as the client; resolves the OAuth error. */
async function redeem(issuer: string, refreshToken: string): Promise<string | undefined> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  })
  return ((await res.json()) as { error?: string }).error
}

describe('auth.sessions.revoke revokes refresh tokens at the IdP', () => {
  it('after revoke({ sub }), every refresh token of the user is refused by the IdP (invalid_grant)', async () => {
    const adapter = new MemoryAdapter()
    const { app, auth, browser, errors } = testApp({ issuer: env.IDP_ISSUER, adapter })
    const laptop = browser
    const phone = new Browser((r) => app.fetch(r))
    await login(laptop)
    await login(phone)
    const tokens = [await refreshTokenOf(adapter, laptop), await refreshTokenOf(adapter, phone)]
    const sub = ((await (await laptop.get('/auth/me')).json()) as { user: { sub: string } }).user
      .sub

    expect(await auth.sessions.revoke({ sub })).toBe(2)
    for (const token of tokens) expect(await redeem(env.IDP_ISSUER, token)).toBe('invalid_grant')
    expect((await laptop.get('/api/whoami')).status).toBe(401)
    expect((await phone.get('/api/whoami')).status).toBe(401)
    expect(errors).toEqual([])
  })

  it('a refresh token is still valid at the IdP until its session is revoked', async () => {
    // The control for the test above: redeeming works (and rotates) while the session lives.
    const adapter = new MemoryAdapter()
    const { browser } = testApp({ issuer: env.IDP_ISSUER, adapter })
    await login(browser)
    expect(await redeem(env.IDP_ISSUER, await refreshTokenOf(adapter, browser))).toBeUndefined()
  })

  it('a failed revocation is reported (revocation_failed) and the session is deleted anyway', async () => {
    const issuer = env.IDP_FAULT_ISSUER
    const adapter = new MemoryAdapter()
    const { auth, browser, errors } = testApp({ issuer, adapter })
    await login(browser)
    const sub = ((await (await browser.get('/auth/me')).json()) as { user: { sub: string } }).user
      .sub
    await idpFault(issuer, 'revocation', 'http503', 1)
    try {
      expect(await auth.sessions.revoke({ sub })).toBe(1)
    } finally {
      await idpClearFaults(issuer)
    }
    expect(errors.map((e) => e.code)).toEqual(['revocation_failed'])
    expect(((await (await browser.get('/auth/me')).json()) as { user: unknown }).user).toBeNull()
  })
})

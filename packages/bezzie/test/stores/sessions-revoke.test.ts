import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { cloudflareKVAdapter } from '../../src/adapters/kv.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { durableObjectAdapter } from '../../src/durable-object.ts'
import { StoreError } from '../../src/errors.ts'
import { BASE_URL, CLIENT_ID } from '../support/constants.ts'

// "Log out everywhere" through the Durable Object index, in workerd: sessions are found by the
// IdP session (sid) or the user (sub) and deleted, and only those.

function bezzie(adapter: SessionAdapter) {
  const auth = createBezzie({
    issuer: env.IDP_ISSUER,
    clientId: CLIENT_ID,
    baseUrl: BASE_URL,
    adapter,
  })
  const app = auth.routes()
  const create = async (sub: string, sid: string) =>
    (
      await auth.sessions.create({
        user: { sub },
        claims: { sub, sid },
        tokens: { accessToken: 'opaque', expiresAt: Math.floor(Date.now() / 1000) + 3600 },
      })
    ).cookie
  const signedIn = async (cookie: string) =>
    ((await (await app.request('/me', { headers: { cookie } })).json()) as { user: unknown })
      .user !== null
  return { auth, create, signedIn }
}

describe('auth.sessions.revoke on Durable Objects', () => {
  it('revokes the sessions of one IdP session (sid), then every session of the user (sub)', async () => {
    const { auth, create, signedIn } = bezzie(durableObjectAdapter(env.SESSION_STORE))
    const user = `user-${crypto.randomUUID()}`
    const phone = await create(user, `${user}-sid-1`)
    const laptop = await create(user, `${user}-sid-1`)
    const tablet = await create(user, `${user}-sid-2`)
    const stranger = await create(`other-${user}`, `${user}-sid-3`)

    expect(await auth.sessions.revoke({ sid: `${user}-sid-1` })).toBe(2)
    expect([await signedIn(phone), await signedIn(laptop), await signedIn(tablet)]).toEqual([
      false,
      false,
      true,
    ])

    expect(await auth.sessions.revoke({ sub: user })).toBe(1)
    expect(await signedIn(tablet)).toBe(false)
    expect(await signedIn(stranger)).toBe(true)
  })

  it('on KV (no index) it throws session_index_unsupported instead of doing nothing', async () => {
    const { auth } = bezzie(cloudflareKVAdapter(env.SESSION_KV))
    const error = await auth.sessions.revoke({ sub: 'anyone' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('session_index_unsupported')
  })
})

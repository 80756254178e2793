import { env } from 'cloudflare:workers'
import { driveLogin } from '@bezzie/idp/client'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { testApp } from '../../support/app.ts'
import { Browser } from '../../support/browser.ts'
import { DEMO_CREDENTIALS, idpCounts } from '../../support/login.ts'

const SECRET = 'transaction-replay-test-secret-0123456789'

describe('stateless (sealed) login transactions', () => {
  it('replay: a captured transaction cookie is single-use, refused before the IdP is asked again', async () => {
    const { app } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      secret: SECRET,
    })
    const victim = new Browser((r) => app.fetch(r))
    const start = await victim.get('/auth/login')
    const captured = new Map(victim.cookies)
    const callback = new URL(
      (await driveLogin(start.headers.get('location') as string, DEMO_CREDENTIALS)).callbackUrl,
    )
    const path = callback.pathname + callback.search
    expect((await victim.get(path)).status).toBe(302)

    const attacker = new Browser((r) => app.fetch(r))
    for (const [name, value] of captured) attacker.cookies.set(name, value)
    const tokenCalls = (await idpCounts(env.IDP_ISSUER)).token ?? 0
    const replay = await attacker.get(path)
    expect(replay.status).toBe(400)
    expect(((await replay.json()) as { error: string }).error).toBe('login_transaction_missing')
    expect((await idpCounts(env.IDP_ISSUER)).token ?? 0).toBe(tokenCalls)
    expect(attacker.cookies.has('__Host-session')).toBe(false)
  })

  it('state splicing: a transaction cookie renamed to another login’s state does not open', async () => {
    const { app } = testApp({
      issuer: env.IDP_ISSUER,
      adapter: new MemoryAdapter(),
      secret: SECRET,
    })
    const attacker = new Browser((r) => app.fetch(r))
    await attacker.get('/auth/login')
    const [[, sealed]] = [...attacker.cookies].filter(([n]) =>
      n.startsWith('__Host-session-tx-'),
    ) as [[string, string]]
    // The victim's login, completed at the IdP; the attacker substitutes its own sealed transaction.
    const victim = new Browser((r) => app.fetch(r))
    const start = await victim.get('/auth/login')
    const callback = new URL(
      (await driveLogin(start.headers.get('location') as string, DEMO_CREDENTIALS)).callbackUrl,
    )
    const state = callback.searchParams.get('state') as string
    attacker.cookies.clear()
    attacker.cookies.set(`__Host-session-tx-${state.slice(0, 12)}`, sealed)
    const res = await attacker.get(callback.pathname + callback.search)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('login_transaction_missing')
    expect(attacker.cookies.has('__Host-session')).toBe(false)
  })
})

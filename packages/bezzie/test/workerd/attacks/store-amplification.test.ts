import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { testApp } from '../../support/app.ts'
import { Browser } from '../../support/browser.ts'
import { countingAdapter } from '../../support/counting-adapter.ts'

const ANONYMOUS_LOGINS = 20

describe('store write amplification by anonymous callers', () => {
  it('with a secret, anonymous GET /login floods cost no store write or read', async () => {
    const { adapter, counts } = countingAdapter(new MemoryAdapter())
    const { app } = testApp({ issuer: env.IDP_ISSUER, adapter, secret: 's'.repeat(32) })
    for (let i = 0; i < ANONYMOUS_LOGINS; i++) {
      expect((await new Browser((r) => app.fetch(r)).get('/auth/login')).status).toBe(302)
    }
    expect(counts).toEqual({ get: 0, set: 0, delete: 0, replace: 0 })
  })

  it('without a secret, each anonymous GET /login is one store write (documented: set a secret)', async () => {
    const { adapter, counts } = countingAdapter(new MemoryAdapter())
    const { app } = testApp({ issuer: env.IDP_ISSUER, adapter })
    for (let i = 0; i < ANONYMOUS_LOGINS; i++) {
      await new Browser((r) => app.fetch(r)).get('/auth/login')
    }
    expect(counts.set).toBe(ANONYMOUS_LOGINS)
  })

  it('forged callbacks (random state, random transaction cookie) cost at most one read each, never a write', async () => {
    const { adapter, counts } = countingAdapter(new MemoryAdapter())
    const { app } = testApp({ issuer: env.IDP_ISSUER, adapter })
    const attacker = new Browser((r) => app.fetch(r))
    const state = 'A'.repeat(43)
    for (let i = 0; i < ANONYMOUS_LOGINS; i++) {
      attacker.cookies.set(`__Host-session-tx-${state.slice(0, 12)}`, 'B'.repeat(43))
      attacker.cookies.set('__Host-session', 'C'.repeat(43))
      const res = await attacker.get(`/auth/callback?code=x&state=${state}`)
      expect(res.status).toBe(400)
    }
    expect(counts.set).toBe(0)
    expect(counts.get).toBeLessThanOrEqual(ANONYMOUS_LOGINS)
  })
})

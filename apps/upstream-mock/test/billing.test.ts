import { describe, expect, inject, it } from 'vitest'
import type { BillingWhoamiResponse } from '../src/routes/billing.ts'
import { bearer, fetchWorker } from './fetch-worker.ts'

// The second API has an audience of its own: a BFF must send each API the token issued for it.

describe('/billing/api (the second API)', () => {
  it('accepts a token whose aud is the billing API and says so', async () => {
    const res = await fetchWorker('/billing/api/whoami', bearer(inject('billingServiceToken')))
    expect(res.status).toBe(200)
    const body = (await res.json()) as BillingWhoamiResponse
    expect(body.api).toBe('billing')
    expect(body.aud).toBe('https://billing.bezzie.local')
    expect(body.clientId).toBe('upstream-test-service')
  })

  it('refuses a valid token for the main API (audience confusion)', async () => {
    const res = await fetchWorker('/billing/api/whoami', bearer(inject('aliceAccessToken')))
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: 'invalid_token' })
  })

  it('and the main API refuses the billing token', async () => {
    const res = await fetchWorker('/api/me', bearer(inject('billingServiceToken')))
    expect(res.status).toBe(403)
    expect((await fetchWorker('/api/me', bearer(inject('mainServiceToken')))).status).toBe(200)
  })

  it('answers 401 without a token', async () => {
    expect((await fetchWorker('/billing/api/whoami')).status).toBe(401)
  })
})

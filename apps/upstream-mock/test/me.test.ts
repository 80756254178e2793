import { decodeJwt } from 'jose'
import { describe, expect, inject, it } from 'vitest'
import { bearer, fetchWorker } from './fetch-worker.ts'

describe('GET /api/me', () => {
  it('answers as the subject of a real access token from the IdP', async () => {
    const token = inject('aliceAccessToken')
    const response = await fetchWorker('/api/me', bearer(token))
    expect(response.status).toBe(200)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toEqual({
      message: 'Hello from the upstream API — your token was verified',
      sub: 'alice',
      scope: decodeJwt(token).scope,
      receivedAuthorization: true,
      tokenType: 'Bearer',
      timestamp: expect.any(String),
    })
    expect(body.scope).toContain('read:notes')
    expect(Number.isNaN(Date.parse(body.timestamp as string))).toBe(false)
  })

  it('tells two users apart', async () => {
    const response = await fetchWorker('/api/me', bearer(inject('bobAccessToken')))
    expect(await response.json()).toMatchObject({ sub: 'bob' })
  })
})

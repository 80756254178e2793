import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Idp, startIdp } from '../src/index.ts'
import { login, startLogoutReceiver, testClient } from './helpers.ts'

function post(idp: Idp, path: string, body?: unknown) {
  return fetch(`${idp.issuer}/__idp/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

describe('/__idp/ development endpoints', () => {
  let idp: Idp
  let receiver: Awaited<ReturnType<typeof startLogoutReceiver>>
  beforeAll(async () => {
    receiver = await startLogoutReceiver()
    idp = await startIdp({
      clients: [testClient({ backchannel_logout_uri: receiver.url })],
    })
  })
  afterAll(async () => {
    await idp.stop()
    await receiver.close()
  })

  it('serves counts as JSON and resets them', async () => {
    await fetch(`${idp.issuer}/jwks`)
    const counts = await (await fetch(`${idp.issuer}/__idp/counts`)).json()
    expect(counts.jwks).toBeGreaterThanOrEqual(1)
    expect((await post(idp, 'reset-counts')).status).toBe(204)
    const reset = await (await fetch(`${idp.issuer}/__idp/counts`)).json()
    expect(reset.jwks).toBe(0)
    expect(reset['grant:refresh_token']).toBe(0)
    expect(Object.values(reset).every((value) => value === 0)).toBe(true)
  })

  it('sets and clears faults', async () => {
    expect(
      (await post(idp, 'faults', { endpoint: 'jwks', mode: 'http503', times: 1 })).status,
    ).toBe(204)
    expect((await fetch(`${idp.issuer}/jwks`)).status).toBe(503)
    expect((await fetch(`${idp.issuer}/jwks`)).status).toBe(200)
    await post(idp, 'faults', { endpoint: 'jwks', mode: 'http500' })
    expect((await fetch(`${idp.issuer}/jwks`)).status).toBe(500)
    const cleared = await fetch(`${idp.issuer}/__idp/faults`, { method: 'DELETE' })
    expect(cleared.status).toBe(204)
    expect((await fetch(`${idp.issuer}/jwks`)).status).toBe(200)
  })

  it('rejects a malformed fault with 400 and a message', async () => {
    const response = await post(idp, 'faults', { endpoint: 'userinfo', mode: 'http500' })
    expect(response.status).toBe(400)
    expect((await response.json()).error_description).toMatch(/endpoint must be one of/)
    const notJson = await fetch(`${idp.issuer}/__idp/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    })
    expect(notJson.status).toBe(400)
  })

  it('ends a user session and sends the back-channel logout', async () => {
    await login(idp.issuer, 'bob')
    expect((await post(idp, 'end-session', { sub: 'bob' })).status).toBe(204)
    expect(receiver.received).toHaveLength(1)
    expect((await post(idp, 'end-session', {})).status).toBe(400)
  })

  it('refuses a cross-site form post to /__idp/end-session (CSRF)', async () => {
    await login(idp.issuer, 'alice')
    receiver.received.length = 0
    const response = await fetch(`${idp.issuer}/__idp/end-session`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ sub: 'alice' }),
    })
    expect(response.status).toBe(400)
    expect(receiver.received).toHaveLength(0)
  })

  it('answers unknown routes with 404', async () => {
    expect((await fetch(`${idp.issuer}/__idp/nope`)).status).toBe(404)
  })

  it('is absent when testEndpoints is false', async () => {
    const closed = await startIdp({ clients: [testClient()], testEndpoints: false })
    try {
      expect((await fetch(`${closed.issuer}/__idp/counts`)).status).toBe(404)
      expect((await post(closed, 'faults', { endpoint: 'jwks', mode: 'http500' })).status).toBe(404)
      expect((await fetch(`${closed.issuer}/jwks`)).status).toBe(200)
    } finally {
      await closed.stop()
    }
  })
})

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Idp, startIdp } from '../src/index.ts'
import { login, testClient, tokenRequest } from './helpers.ts'

describe('counts', () => {
  let idp: Idp
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient()] })
  })
  afterAll(() => idp.stop())

  it('counts requests per endpoint and per grant, and resets', async () => {
    idp.resetCounts()
    expect(idp.counts['grant:refresh_token']).toBe(0)
    await fetch(`${idp.issuer}/.well-known/openid-configuration`)
    await fetch(`${idp.issuer}/jwks`)
    const tokens = await login(idp.issuer)
    await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    })
    expect(idp.counts).toMatchObject({
      discovery: 1,
      jwks: 1,
      authorization: 1,
      token: 2,
      'grant:authorization_code': 1,
      'grant:refresh_token': 1,
    })
    idp.resetCounts()
    expect(idp.counts.token).toBe(0)
    expect(Object.keys(idp.counts)).toEqual([])
  })

  it('is read-only', () => {
    expect(() => {
      ;(idp.counts as Record<string, number>).token = 5
    }).toThrow(TypeError)
  })
})

describe('faults', () => {
  let idp: Idp
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient()] })
  })
  afterEach(() => idp.faults.clear())
  afterAll(() => idp.stop())

  it('makes the token endpoint answer 503 the given number of times, then recover', async () => {
    const tokens = await login(idp.issuer)
    idp.resetCounts()
    idp.faults.set('token', 'http503', 1)
    const refresh = () =>
      tokenRequest(idp.issuer, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
      })
    const failed = await refresh()
    expect(failed.status).toBe(503)
    expect(failed.body.error).toBe('temporarily_unavailable')
    const recovered = await refresh()
    expect(recovered.status).toBe(200)
    expect(idp.counts['grant:refresh_token']).toBe(2)
  })

  it('answers 500 from discovery until cleared', async () => {
    idp.faults.set('discovery', 'http500')
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${idp.issuer}/.well-known/openid-configuration`)).status).toBe(500)
    }
    idp.faults.set('discovery', null)
    expect((await fetch(`${idp.issuer}/.well-known/openid-configuration`)).status).toBe(200)
  })

  it('resets the connection of a jwks request', async () => {
    idp.faults.set('jwks', 'reset', 1)
    await expect(fetch(`${idp.issuer}/jwks`)).rejects.toThrow(TypeError)
    expect((await fetch(`${idp.issuer}/jwks`)).status).toBe(200)
  })

  it('never answers a timed-out revocation request', async () => {
    idp.faults.set('revocation', 'timeout', 1)
    const response = fetch(`${idp.issuer}/token/revocation`, {
      method: 'POST',
      signal: AbortSignal.timeout(300),
    })
    await expect(response).rejects.toThrow(/timeout|aborted/i)
  })

  it('rejects unknown endpoints, modes and times', () => {
    expect(() => idp.faults.set('userinfo' as 'token', 'http500')).toThrow(TypeError)
    expect(() => idp.faults.set('token', 'explode' as 'reset')).toThrow(TypeError)
    expect(() => idp.faults.set('token', 'http500', 0)).toThrow(TypeError)
  })
})

describe('stop', () => {
  it('stops although a timeout fault holds a request open', async () => {
    const idp = await startIdp({ clients: [testClient()] })
    idp.faults.set('token', 'timeout')
    const pending = fetch(`${idp.issuer}/token`, { method: 'POST' }).catch(
      (error: unknown) => error,
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    await idp.stop()
    expect(await pending).toBeInstanceOf(TypeError)
    await expect(fetch(`${idp.issuer}/jwks`)).rejects.toThrow(TypeError)
  })
})

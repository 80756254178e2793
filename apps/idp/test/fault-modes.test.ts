import { createRemoteJWKSet, jwtVerify } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Idp, startIdp } from '../src/index.ts'
import { basicAuth, login, testClient, tokenRequest } from './helpers.ts'

const refreshBody = (refreshToken: string) =>
  new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken })

/** A refresh whose answer the caller gives up on after `ms`, as a client timeout would. */
function refreshGivingUp(idp: Idp, refreshToken: string, ms: number) {
  return fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
    body: refreshBody(refreshToken),
    signal: AbortSignal.timeout(ms),
  })
}

describe('faults that lose a processed answer (rotation on, no reuse interval)', () => {
  let idp: Idp
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient()], rotateRefreshTokens: true })
  })
  afterEach(() => idp.faults.clear())
  afterAll(() => idp.stop())

  it('slow: the refresh is processed (the old token is spent) but answered only after delayMs', async () => {
    const tokens = await login(idp.issuer)
    idp.resetCounts()
    idp.faults.set('token', 'slow', 1, { delayMs: 2000 })
    await expect(refreshGivingUp(idp, tokens.refresh_token ?? '', 300)).rejects.toThrow(
      /timeout|aborted/i,
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(idp.counts['grant:refresh_token']).toBe(1)
    // The IdP rotated in the lost answer: the old token is now a reused one.
    const reuse = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    })
    expect(reuse.status).toBe(400)
    expect(reuse.body.error).toBe('invalid_grant')
  })

  it('slow: a client that waits long enough gets the answer', async () => {
    const tokens = await login(idp.issuer)
    idp.faults.set('token', 'slow', 1, { delayMs: 200 })
    const started = Date.now()
    const res = await refreshGivingUp(idp, tokens.refresh_token ?? '', 5000)
    expect(res.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
  })

  it('process-reset: the refresh is processed, then the connection is destroyed', async () => {
    const tokens = await login(idp.issuer)
    idp.faults.set('token', 'process-reset', 1)
    await expect(refreshGivingUp(idp, tokens.refresh_token ?? '', 5000)).rejects.toThrow(TypeError)
    const reuse = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    })
    expect(reuse.body.error).toBe('invalid_grant')
  })

  it('http429 says when to come back; garbage is a 200 that is not JSON; neither is processed', async () => {
    const tokens = await login(idp.issuer)
    idp.faults.set('token', 'http429', 1, { retryAfterSeconds: 7 })
    const limited = await refreshGivingUp(idp, tokens.refresh_token ?? '', 5000)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
    idp.faults.set('token', 'garbage', 1)
    const garbage = await refreshGivingUp(idp, tokens.refresh_token ?? '', 5000)
    expect(garbage.status).toBe(200)
    expect(garbage.headers.get('content-type')).toMatch(/text\/html/)
    const text = await garbage.text()
    expect(() => JSON.parse(text)).toThrow(SyntaxError)
    const fine = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    })
    expect(fine.status).toBe(200)
  })

  it('rejects bad fault options', () => {
    expect(() => idp.faults.set('token', 'slow', 1, { delayMs: -1 })).toThrow(TypeError)
    expect(() => idp.faults.set('token', 'http429', 1, { retryAfterSeconds: 1.5 })).toThrow(
      TypeError,
    )
  })
})

describe('refreshTokenReuseInterval', () => {
  let idp: Idp
  beforeAll(async () => {
    idp = await startIdp({
      clients: [testClient()],
      rotateRefreshTokens: true,
      refreshTokenReuseInterval: 2,
    })
  })
  afterAll(() => idp.stop())

  it('a rotated refresh token works again within the interval, and revokes the grant after it', async () => {
    const tokens = await login(idp.issuer)
    const old = tokens.refresh_token ?? ''
    const first = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: old,
    })
    expect(first.status).toBe(200)
    const again = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: old,
    })
    expect(again.status).toBe(200)
    expect(again.body.refresh_token).not.toBe(first.body.refresh_token)
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const late = await tokenRequest(idp.issuer, { grant_type: 'refresh_token', refresh_token: old })
    expect(late.body.error).toBe('invalid_grant')
    // Reuse detection revoked the whole grant.
    const newest = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: again.body.refresh_token ?? '',
    })
    expect(newest.body.error).toBe('invalid_grant')
  })
})

describe('rotateKeys', () => {
  let idp: Idp
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient()], rotateRefreshTokens: true })
  })
  afterAll(() => idp.stop())

  const verify = (token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(`${idp.issuer}/jwks`)))

  it('soft keeps publishing the old key; hard drops it; grants survive both', async () => {
    const tokens = await login(idp.issuer)
    await idp.rotateKeys('soft')
    await verify(tokens.access_token)
    const refreshed = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
    })
    expect(refreshed.status).toBe(200)
    const { protectedHeader } = await verify(refreshed.body.access_token)
    expect(protectedHeader.kid).not.toBe(
      JSON.parse(Buffer.from(tokens.access_token.split('.')[0] ?? '', 'base64url').toString()).kid,
    )
    const res = await fetch(`${idp.issuer}/__idp/rotate-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'hard' }),
    })
    expect(res.status).toBe(204)
    await expect(verify(refreshed.body.access_token)).rejects.toThrow()
    const after = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: refreshed.body.refresh_token ?? '',
    })
    expect(after.status).toBe(200)
    await verify(after.body.access_token)
  })
})

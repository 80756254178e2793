import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Idp, startIdp } from '../src/index.ts'
import { basicAuth, decodePayload, login, testClient, tokenRequest } from './helpers.ts'

function refresh(idp: Idp, refreshToken: string) {
  return tokenRequest(idp.issuer, { grant_type: 'refresh_token', refresh_token: refreshToken })
}

describe('refresh grant without rotation (default)', () => {
  let idp: Idp
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient()] })
  })
  afterAll(() => idp.stop())

  it('returns new tokens and keeps the same refresh token usable', async () => {
    const tokens = await login(idp.issuer)
    const first = await refresh(idp, tokens.refresh_token ?? '')
    expect(first.status).toBe(200)
    expect(first.body.access_token).not.toBe(tokens.access_token)
    expect(first.body.refresh_token).toBe(tokens.refresh_token)
    expect(decodePayload(first.body.access_token).aud).toBe('https://api.bezzie.local')
    expect(decodePayload(first.body.id_token ?? '').sid).toBe(
      decodePayload(tokens.id_token ?? '').sid,
    )
    const second = await refresh(idp, tokens.refresh_token ?? '')
    expect(second.status).toBe(200)
  })

  it('refuses a revoked refresh token with invalid_grant', async () => {
    const tokens = await login(idp.issuer)
    const revocation = await fetch(`${idp.issuer}/token/revocation`, {
      method: 'POST',
      headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: tokens.refresh_token ?? '',
        token_type_hint: 'refresh_token',
      }),
    })
    expect(revocation.status).toBe(200)
    const { status, body } = await refresh(idp, tokens.refresh_token ?? '')
    expect(status).toBe(400)
    expect(body.error).toBe('invalid_grant')
  })

  it('refuses a refresh token presented by another client', async () => {
    const tokens = await login(idp.issuer)
    const response = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basicAuth('bezzie-dev', 'bezzie-dev-secret'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
      }),
    })
    // bezzie-dev is not registered on this IdP: the client is rejected outright.
    expect(response.status).toBe(401)
  })
})

describe('refresh grant with rotateRefreshTokens', () => {
  let idp: Idp
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient()], rotateRefreshTokens: true })
  })
  afterAll(() => idp.stop())

  it('issues a new refresh token and refuses the old one afterwards (replay)', async () => {
    const tokens = await login(idp.issuer)
    const rotated = await refresh(idp, tokens.refresh_token ?? '')
    expect(rotated.status).toBe(200)
    expect(rotated.body.refresh_token).toEqual(expect.any(String))
    expect(rotated.body.refresh_token).not.toBe(tokens.refresh_token)

    const replay = await refresh(idp, tokens.refresh_token ?? '')
    expect(replay.status).toBe(400)
    expect(replay.body.error).toBe('invalid_grant')
  })

  it('keeps the rotated refresh token usable in a chain', async () => {
    const tokens = await login(idp.issuer)
    let current = tokens.refresh_token ?? ''
    for (let i = 0; i < 3; i++) {
      const next = await refresh(idp, current)
      expect(next.status).toBe(200)
      current = next.body.refresh_token ?? ''
    }
  })
})

import { createHash } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { driveLogin, type Idp, startIdp } from '../src/index.ts'
import {
  authorizationRequest,
  basicAuth,
  decodePayload,
  REDIRECT_URI,
  type TokenResponse,
  testClient,
} from './helpers.ts'

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>

async function proof(keys: KeyPair, htu: string, extra: Record<string, unknown> = {}) {
  return new SignJWT({ htm: 'POST', htu, jti: crypto.randomUUID(), ...extra })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(keys.publicKey) })
    .setIssuedAt()
    .sign(keys.privateKey)
}

async function tokenRequestWith(
  issuer: string,
  params: Record<string, string>,
  dpop?: string,
): Promise<{ status: number; body: TokenResponse; nonce: string | null }> {
  const response = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: {
      authorization: basicAuth(),
      'content-type': 'application/x-www-form-urlencoded',
      ...(dpop ? { dpop } : {}),
    },
    body: new URLSearchParams(params),
  })
  return {
    status: response.status,
    body: (await response.json()) as TokenResponse,
    nonce: response.headers.get('dpop-nonce'),
  }
}

async function codeFor(issuer: string) {
  const request = authorizationRequest(issuer)
  const { callbackUrl } = await driveLogin(request.url, { username: 'alice', password: 'bezzie' })
  const code = new URL(callbackUrl).searchParams.get('code') as string
  return {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: request.verifier,
  }
}

describe('DPoP (always served)', () => {
  let idp: Idp
  let keys: KeyPair
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient()] })
    keys = await generateKeyPair('ES256', { extractable: true })
  })
  afterAll(() => idp?.stop())

  it('binds the access token to the proof key (cnf.jkt, token_type DPoP); the confidential client refresh token stays unbound', async () => {
    const htu = `${idp.issuer}/token`
    const exchanged = await tokenRequestWith(
      idp.issuer,
      await codeFor(idp.issuer),
      await proof(keys, htu),
    )
    expect(exchanged.status).toBe(200)
    expect(exchanged.body.token_type).toBe('DPoP')
    const jkt = await calculateJwkThumbprint(await exportJWK(keys.publicKey))
    expect(decodePayload(exchanged.body.access_token).cnf).toEqual({ jkt: jkt })
    // The refresh token of a confidential client is not bound (RFC 9449 §5): a refresh without a
    // proof gets a Bearer token, one with a proof a DPoP-bound one.
    const refreshToken = exchanged.body.refresh_token as string
    const bearer = await tokenRequestWith(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    })
    expect(bearer.status).toBe(200)
    expect(bearer.body.token_type).toBe('Bearer')
    const bound = await tokenRequestWith(
      idp.issuer,
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      await proof(keys, htu),
    )
    expect(bound.body.token_type).toBe('DPoP')
    expect(decodePayload(bound.body.access_token).cnf).toEqual({ jkt })
  })

  it('refuses a proof replayed with the same jti', async () => {
    const htu = `${idp.issuer}/token`
    const replayed = await proof(keys, htu)
    const first = await tokenRequestWith(idp.issuer, await codeFor(idp.issuer), replayed)
    expect(first.status).toBe(200)
    const second = await tokenRequestWith(idp.issuer, await codeFor(idp.issuer), replayed)
    expect(second.status).toBe(400)
    expect(second.body.error).toBe('invalid_grant')
  })

  it('refuses a proof made for another URL', async () => {
    const wrong = await proof(keys, `${idp.issuer}/elsewhere`)
    const answer = await tokenRequestWith(idp.issuer, await codeFor(idp.issuer), wrong)
    expect(answer.status).toBe(400)
    expect(answer.body.error).toBe('invalid_dpop_proof')
  })
})

describe('DPoP nonces (dpopNonces: true)', () => {
  let idp: Idp
  let keys: KeyPair
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient()], dpopNonces: true })
    keys = await generateKeyPair('ES256', { extractable: true })
  })
  afterAll(() => idp?.stop())

  it('answers a proof without a nonce with use_dpop_nonce and a DPoP-Nonce header, and accepts the retry with it', async () => {
    const htu = `${idp.issuer}/token`
    const params = await codeFor(idp.issuer)
    const first = await tokenRequestWith(idp.issuer, params, await proof(keys, htu))
    expect(first.status).toBe(400)
    expect(first.body.error).toBe('use_dpop_nonce')
    expect(first.nonce).toMatch(/^[\w-]+$/)
    const retried = await tokenRequestWith(
      idp.issuer,
      params,
      await proof(keys, htu, { nonce: first.nonce }),
    )
    expect(retried.status).toBe(200)
    expect(retried.body.token_type).toBe('DPoP')
  })

  it('refuses a made-up nonce', async () => {
    const htu = `${idp.issuer}/token`
    const answer = await tokenRequestWith(
      idp.issuer,
      await codeFor(idp.issuer),
      await proof(keys, htu, { nonce: createHash('sha256').update('guess').digest('base64url') }),
    )
    expect(answer.status).toBe(400)
    expect(answer.body.error).toBe('use_dpop_nonce')
  })
})

import {
  base64url,
  calculateJwkThumbprint,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  SignJWT,
} from 'jose'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { bearer, fetchWorker, fetchWorkerWith } from './fetch-worker.ts'

// DPoP (RFC 9449) at the API: a token the real IdP bound to a key (`cnf.jkt`) is good only with a
// fresh proof of that key for this very request.

const ORIGIN = 'http://upstream.test'
const NONCE_SECRET = 'a-nonce-secret-for-the-tests-0123'

let token: string
let keys: { privateKey: CryptoKey; publicKey: JWK }

beforeAll(async () => {
  token = inject('dpopBoundToken')
  const jwk = JSON.parse(inject('dpopPrivateJwk')) as JWK
  const { d: _d, ...publicKey } = jwk
  keys = { privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey, publicKey }
})

async function ath(accessToken: string) {
  return base64url.encode(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))),
  )
}

interface ProofOptions {
  method?: string
  url?: string
  accessToken?: string
  iat?: number
  jti?: string
  nonce?: string
  signer?: { privateKey: CryptoKey; publicKey: JWK }
}

async function proof(path: string, options: ProofOptions = {}): Promise<string> {
  const signer = options.signer ?? keys
  return new SignJWT({
    htm: options.method ?? 'GET',
    htu: options.url ?? `${ORIGIN}${path}`,
    jti: options.jti ?? crypto.randomUUID(),
    ath: await ath(options.accessToken ?? token),
    iat: options.iat ?? Math.floor(Date.now() / 1000),
    ...(options.nonce ? { nonce: options.nonce } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: signer.publicKey })
    .sign(signer.privateKey)
}

function dpop(accessToken: string, dpopProof: string | undefined, init: RequestInit = {}) {
  return {
    ...init,
    headers: {
      ...(init.headers as object),
      authorization: `DPoP ${accessToken}`,
      ...(dpopProof ? { dpop: dpopProof } : {}),
    },
  }
}

async function expectDpopRejection(response: Response, error: string, message?: RegExp) {
  expect(response.status).toBe(401)
  expect(response.headers.get('www-authenticate')).toMatch(
    new RegExp(`^DPoP error="${error}".*algs="[^"]*ES256`),
  )
  const body = (await response.json()) as { error: string; message: string }
  expect(body.error).toBe(error)
  if (message) expect(body.message).toMatch(message)
}

describe('DPoP-bound access tokens', () => {
  it('the IdP bound the token to the key (cnf.jkt is its thumbprint)', async () => {
    expect(decodeJwt(token).cnf).toEqual({ jkt: await calculateJwkThumbprint(keys.publicKey) })
  })

  it('accepts the token with a proof of its key, and says it came as DPoP', async () => {
    const response = await fetchWorker('/api/me', dpop(token, await proof('/api/me')))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ tokenType: 'DPoP' })
  })

  it('accepts a proof whose htu leaves out the query (RFC 9449 §4.3)', async () => {
    const response = await fetchWorker('/api/echo?x=1', dpop(token, await proof('/api/echo')))
    expect(response.status).toBe(200)
    const echo = (await response.json()) as { headers: Record<string, string>; tokenType: string }
    expect(echo.tokenType).toBe('DPoP')
    expect(echo.headers.authorization).toBe('DPoP <redacted>')
    expect(echo.headers.dpop).toBe('<proof>')
  })

  it('stolen DPoP-bound access token replayed as bearer is rejected', async () => {
    await expectDpopRejection(
      await fetchWorker('/api/me', bearer(token)),
      'invalid_token',
      /DPoP-bound/,
    )
  })

  it('a DPoP-bound token without a proof is rejected', async () => {
    await expectDpopRejection(
      await fetchWorker('/api/me', dpop(token, undefined)),
      'invalid_dpop_proof',
      /required/,
    )
  })

  it('stolen token with a proof of the attacker key is rejected (cnf.jkt mismatch)', async () => {
    const attacker = await generateKeyPair('ES256', { extractable: true })
    const signer = {
      privateKey: attacker.privateKey,
      publicKey: await exportJWK(attacker.publicKey),
    }
    await expectDpopRejection(
      await fetchWorker('/api/me', dpop(token, await proof('/api/me', { signer }))),
      'invalid_dpop_proof',
      /not the key/,
    )
  })

  it('proof replay for another URL rejected', async () => {
    const forMe = await proof('/api/me')
    await expectDpopRejection(
      await fetchWorker('/api/notes', dpop(token, forMe)),
      'invalid_dpop_proof',
      /another URL/,
    )
  })

  it('proof replay for another method rejected', async () => {
    await expectDpopRejection(
      await fetchWorker('/api/echo', dpop(token, await proof('/api/echo'), { method: 'DELETE' })),
      'invalid_dpop_proof',
      /another method/,
    )
  })

  it('proof replay of the same request (same jti) rejected', async () => {
    const once = await proof('/api/me')
    expect((await fetchWorker('/api/me', dpop(token, once))).status).toBe(200)
    await expectDpopRejection(
      await fetchWorker('/api/me', dpop(token, once)),
      'invalid_dpop_proof',
      /used before/,
    )
  })

  it('proof made for another access token (ath) rejected', async () => {
    const other = await proof('/api/me', { accessToken: inject('mainServiceToken') })
    await expectDpopRejection(
      await fetchWorker('/api/me', dpop(token, other)),
      'invalid_dpop_proof',
      /another access token/,
    )
  })

  it('a proof minted long ago (stale iat) is rejected', async () => {
    const stale = await proof('/api/me', { iat: Math.floor(Date.now() / 1000) - 600 })
    await expectDpopRejection(
      await fetchWorker('/api/me', dpop(token, stale)),
      'invalid_dpop_proof',
      /too old/,
    )
  })

  it('a proof signed with a symmetric key (alg confusion) is rejected', async () => {
    const forged = await new SignJWT({
      htm: 'GET',
      htu: `${ORIGIN}/api/me`,
      jti: crypto.randomUUID(),
      ath: await ath(token),
      iat: Math.floor(Date.now() / 1000),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: keys.publicKey })
      .sign(new TextEncoder().encode('a secret the attacker chose, 32+ bytes long'))
    await expectDpopRejection(
      await fetchWorker('/api/me', dpop(token, forged)),
      'invalid_dpop_proof',
      /does not verify/,
    )
  })

  it('an unbound (bearer) token sent as DPoP is rejected', async () => {
    const plain = inject('mainServiceToken')
    await expectDpopRejection(
      await fetchWorker('/api/me', dpop(plain, await proof('/api/me', { accessToken: plain }))),
      'invalid_token',
      /not DPoP-bound/,
    )
  })

  it('an unbound token still works as Bearer', async () => {
    const response = await fetchWorker('/api/me', bearer(inject('mainServiceToken')))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ tokenType: 'Bearer' })
  })
})

describe('DPoP nonces from the API (DPOP_NONCE_SECRET)', () => {
  const withNonces = (path: string, init: RequestInit) =>
    fetchWorkerWith({ DPOP_NONCE_SECRET: NONCE_SECRET } as Partial<Env>, path, init)

  it('answers a proof without a nonce with 401 use_dpop_nonce and a DPoP-Nonce, and accepts the retry with it', async () => {
    const first = await withNonces('/api/me', dpop(token, await proof('/api/me')))
    await expectDpopRejection(first, 'use_dpop_nonce')
    const nonce = first.headers.get('dpop-nonce')
    expect(nonce).toMatch(/^[\w.-]+$/)
    const retried = await withNonces(
      '/api/me',
      dpop(token, await proof('/api/me', { nonce: nonce as string })),
    )
    expect(retried.status).toBe(200)
  })

  it('refuses a nonce it never issued', async () => {
    const response = await withNonces(
      '/api/me',
      dpop(token, await proof('/api/me', { nonce: 'made-up.nonce' })),
    )
    await expectDpopRejection(response, 'use_dpop_nonce')
    expect(response.headers.get('dpop-nonce')).not.toBe('made-up.nonce')
  })
})

import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { type KeySetView, verifyFast } from '../../src/oidc/verify-fast.ts'

// In workerd, access tokens with a plain RSA signature are checked with Web Crypto directly
// (verify-fast.ts) instead of through jose's jwtVerify. It may only ever accept what jose accepts.

const ISSUER = 'https://idp.example/'
const AUDIENCE = 'https://api.example'
const options = { issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 5 }

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']
const signers = new Map<string, PrivateKey>()
let keys: JWK[]

async function signer(kid: string, alg: 'RS256' | 'PS384' | 'ES256') {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  signers.set(kid, privateKey)
  return { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
}

const sign = (kid: string, alg: string, claims: Record<string, unknown> = {}) =>
  new SignJWT({
    sub: 'alice',
    iss: ISSUER,
    aud: AUDIENCE,
    exp: Math.floor(Date.now() / 1000) + 3600,
    ...claims,
  })
    .setProtectedHeader({ alg, kid })
    .sign(signers.get(kid) as PrivateKey)

const localSet = (fresh = true) =>
  Object.assign(createLocalJWKSet({ keys }), { fresh, reloading: false }) as KeySetView &
    Parameters<typeof jwtVerify>[1]

async function verdict(token: string, set = localSet()) {
  const fast = await verifyFast(token, set, 1, options)
  const jose = await jwtVerify(token, set, {
    issuer: ISSUER,
    audience: AUDIENCE,
    clockTolerance: 5,
  })
    .then((r) => r.payload)
    .catch(() => undefined)
  if (fast) expect(jose).toEqual(fast)
  return { fast: fast !== undefined, jose: jose !== undefined }
}

beforeAll(async () => {
  keys = [await signer('rs', 'RS256'), await signer('ps', 'PS384'), await signer('es', 'ES256')]
})

describe('verifyFast in workerd (Web Crypto): accepts only what jose accepts', () => {
  it('plain RS256 and PS384 tokens are verified without jose', async () => {
    expect(await verdict(await sign('rs', 'RS256'))).toEqual({ fast: true, jose: true })
    expect(await verdict(await sign('ps', 'PS384'))).toEqual({ fast: true, jose: true })
  })

  it('an ES256 token is left to jose', async () => {
    expect(await verdict(await sign('es', 'ES256'))).toEqual({ fast: false, jose: true })
  })

  it('tampered payload, wrong issuer or audience, expired: refused by both', async () => {
    const [h, , s] = (await sign('rs', 'RS256')).split('.')
    const forged = `${h}.${btoa(JSON.stringify({ sub: 'mallory', iss: ISSUER, aud: AUDIENCE })).replace(/=+$/, '')}.${s}`
    expect(await verdict(forged)).toEqual({ fast: false, jose: false })
    for (const claims of [
      { iss: 'https://evil.example/' },
      { aud: 'https://other.example' },
      { exp: Math.floor(Date.now() / 1000) - 60 },
    ]) {
      expect(await verdict(await sign('rs', 'RS256', claims))).toEqual({ fast: false, jose: false })
    }
  })

  it('alg confusion: a token naming the RSA key with HS256 is refused', async () => {
    const [, p] = (await sign('rs', 'RS256')).split('.')
    const header = btoa(JSON.stringify({ alg: 'HS256', kid: 'rs' })).replace(/=+$/, '')
    expect(await verdict(`${header}.${p}.AAAA`)).toEqual({ fast: false, jose: false })
  })

  it('keys jose holds stale are never used', async () => {
    expect(await verifyFast(await sign('rs', 'RS256'), localSet(false), 1, options)).toBeUndefined()
  })
})

import { generateKeyPairSync, sign as nodeSign } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  base64url,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { jwksFor, verifyJwtAccessToken } from '../../src/oidc/jwks.ts'
import { type KeySetView, verifyFast } from '../../src/oidc/verify-fast.ts'

// On Node, access tokens are verified with node:crypto on the request's thread (verify-fast.ts).
// That path may only ever accept what jose accepts: every case below is also given to jose with
// the same key set, and whatever the fast path accepts, jose must accept with the same claims.

const ISSUER = 'https://idp.example/'
const AUDIENCE = 'https://api.example'
const options = { issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 5 }

type Alg = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA'
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']
const signers = new Map<string, { privateKey: PrivateKey; jwk: JWK }>()

async function signer(kid: string, alg: Alg, extra: Partial<JWK> = {}) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig', ...extra }
  signers.set(kid, { privateKey, jwk })
  return jwk
}

function sign(
  kid: string,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  lifetime = '1h',
) {
  const s = signers.get(kid)
  if (!s) throw new Error(kid)
  return new SignJWT({ sub: 'alice', ...claims })
    .setProtectedHeader({ alg: s.jwk.alg as string, kid, ...header })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(s.privateKey)
}

/** A key set as jose holds it after a fetch, viewed as verify-fast sees it. */
function localSet(keys: JWK[]): KeySetView & Parameters<typeof jwtVerify>[1] {
  const local = createLocalJWKSet({ keys })
  return Object.assign(local, { fresh: true, reloading: false })
}

async function joseAccepts(token: string, set: Parameters<typeof jwtVerify>[1]) {
  try {
    const { payload } = await jwtVerify(token, set, {
      issuer: ISSUER,
      audience: AUDIENCE,
      clockTolerance: 5,
    })
    return payload
  } catch {
    return undefined
  }
}

/** The fast path's verdict, checked against jose's: never accepts what jose refuses. */
async function verdict(token: string, set: KeySetView & Parameters<typeof jwtVerify>[1]) {
  const fast = verifyFast(token, set, 1, options)
  // Synchronous on Node: no promise, no thread-pool hop.
  expect(fast).not.toBeInstanceOf(Promise)
  const jose = await joseAccepts(token, set)
  if (fast) expect(jose).toEqual(fast)
  return { fast: fast !== undefined, jose: jose !== undefined }
}

const part = (value: unknown) => base64url.encode(JSON.stringify(value))

let keys: JWK[]
beforeAll(async () => {
  keys = [
    await signer('rs', 'RS256'),
    await signer('ps', 'PS256'),
    await signer('es', 'ES256'),
    await signer('es384', 'ES384'),
    await signer('ed', 'EdDSA'),
  ]
})

describe('verifyFast (Node): accepts only what jose accepts', () => {
  it.each(['rs', 'ps'])('a plain token signed with %s verifies on this thread', async (kid) => {
    expect(await verdict(await sign(kid), localSet(keys))).toEqual({ fast: true, jose: true })
  })

  it.each(['es', 'es384', 'ed'])(
    'a token signed with %s (not RSA) is left to jose',
    async (kid) => {
      expect(await verdict(await sign(kid), localSet(keys))).toEqual({ fast: false, jose: true })
    },
  )

  it('tampered payload: a changed claim is refused', async () => {
    const [h, , s] = (await sign('rs')).split('.')
    const forged = `${h}.${part({ sub: 'mallory', iss: ISSUER, aud: AUDIENCE })}.${s}`
    expect(await verdict(forged, localSet(keys))).toEqual({ fast: false, jose: false })
  })

  it('alg none and HS256 alg confusion (the RSA public key used as an HMAC secret) are refused', async () => {
    const [, p] = (await sign('rs')).split('.')
    for (const alg of ['none', 'HS256']) {
      const forged = `${part({ alg, kid: 'rs' })}.${p}.${alg === 'none' ? '' : 'AAAA'}`
      expect(await verdict(forged, localSet(keys))).toEqual({ fast: false, jose: false })
    }
    const { n } = keys[0] as { n: string }
    const hmac = await new SignJWT({ sub: 'mallory' })
      .setProtectedHeader({ alg: 'HS256', kid: 'rs' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(new TextEncoder().encode(n))
    expect(await verdict(hmac, localSet(keys))).toEqual({ fast: false, jose: false })
  })

  it('a signature by a key that is not in the set, or under another kid, is refused', async () => {
    await signer('stranger', 'RS256')
    expect(await verdict(await sign('stranger'), localSet(keys))).toEqual({
      fast: false,
      jose: false,
    })
    const lying = await sign('stranger', {}, { kid: 'rs' })
    expect(await verdict(lying, localSet(keys))).toEqual({ fast: false, jose: false })
  })

  it.each([
    ['wrong issuer', { iss: 'https://evil.example/' }],
    ['wrong audience', { aud: 'https://another-api.example' }],
    ['audience list without ours', { aud: ['a', 'b'] }],
    ['not yet valid', { nbf: Math.floor(Date.now() / 1000) + 600 }],
    ['non-numeric iat', { iat: 'yesterday' }],
    ['non-numeric exp', { exp: '2999' }],
  ] as [string, Record<string, unknown>][])('claims: %s is refused', async (_name, claims) => {
    const s = signers.get('rs') as { privateKey: PrivateKey }
    const token = await new SignJWT({
      sub: 'alice',
      iss: ISSUER,
      aud: AUDIENCE,
      ...claims,
    } as JWTPayload)
      .setProtectedHeader({ alg: 'RS256', kid: 'rs' })
      .sign(s.privateKey)
    expect(await verdict(token, localSet(keys))).toEqual({ fast: false, jose: false })
  })

  it('claims: an audience list with ours and an exp inside the clock tolerance are accepted by both', async () => {
    const s = signers.get('rs') as { privateKey: PrivateKey }
    const now = Math.floor(Date.now() / 1000)
    const token = await new SignJWT({ sub: 'alice', iss: ISSUER, aud: ['x', AUDIENCE] })
      .setProtectedHeader({ alg: 'RS256', kid: 'rs' })
      .setExpirationTime(now - 2)
      .sign(s.privateKey)
    expect(await verdict(token, localSet(keys))).toEqual({ fast: true, jose: true })
    const expired = await new SignJWT({ sub: 'alice', iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: 'RS256', kid: 'rs' })
      .setExpirationTime(now - 6)
      .sign(s.privateKey)
    expect(await verdict(expired, localSet(keys))).toEqual({ fast: false, jose: false })
  })

  it('unusual headers and keys are left to jose: crit, two candidate keys, weak or private keys, key_ops', async () => {
    const crit = await sign('rs', {}, { crit: ['b64'], b64: true })
    expect((await verdict(crit, localSet(keys))).fast).toBe(false)
    const noKid = await sign('rs', {}, { kid: undefined })
    expect((await verdict(noKid, localSet(keys))).fast).toBe(true)
    // Two keys jose would both try: it decides.
    const twin = await signer('rs2', 'RS256')
    const { kid: _k, ...anonymous } = twin
    const both = localSet([keys[0] as JWK, anonymous])
    expect((await verdict(await sign('rs', {}, { kid: undefined }), both)).fast).toBe(false)
    // RSA below 2048 bits: jose refuses the key (and will not sign with one: node:crypto does).
    const pair = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const weak = { ...pair.publicKey.export({ format: 'jwk' }), kid: 'weak', alg: 'RS256' }
    const input = `${part({ alg: 'RS256', kid: 'weak' })}.${part({ sub: 'a', iss: ISSUER, aud: AUDIENCE })}`
    const weakToken = `${input}.${nodeSign('sha256', Buffer.from(input), pair.privateKey).toString('base64url')}`
    expect(await verdict(weakToken, localSet([weak as JWK]))).toEqual({ fast: false, jose: false })
    // A set whose key may also sign, or carries private members: not a plain public key.
    const ops = await signer('ops', 'RS256', { key_ops: ['verify', 'sign'] })
    expect((await verdict(await sign('ops'), localSet([ops]))).fast).toBe(false)
    const enc = await signer('enc', 'RS256', { use: 'enc' })
    expect(await verdict(await sign('enc'), localSet([enc]))).toEqual({ fast: false, jose: false })
  })

  it('keys jose is about to fetch, or holds stale, are never used', async () => {
    const token = await sign('rs')
    const stale = Object.assign(createLocalJWKSet({ keys }), { fresh: false, reloading: false })
    expect(verifyFast(token, stale, 1, options)).toBeUndefined()
    const reloading = Object.assign(createLocalJWKSet({ keys }), { fresh: true, reloading: true })
    expect(verifyFast(token, reloading, 1, options)).toBeUndefined()
  })
})

// The remote set as bezzie uses it: a JWKS endpoint whose keys rotate.
describe('verifyJwtAccessToken on Node with a rotating JWKS', () => {
  let server: Server
  let uri: string
  let published: JWK[] = []
  let fetches = 0
  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: published }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
  })

  const verify = (token: string) =>
    verifyJwtAccessToken(token, { ...options, jwksUri: uri, scope: 'test' })

  it('verifies on this thread once the keys are fetched (no Web Crypto call)', async () => {
    published = [keys[0] as JWK]
    await verify(await sign('rs'))
    const subtle = vi.spyOn(crypto.subtle, 'verify')
    await verify(await sign('rs'))
    await verify(await sign('rs', { jti: 'another' }))
    expect(subtle).not.toHaveBeenCalled()
  })

  it('key removed at the IdP: after the set is fetched again, a token signed with the old key is refused', async () => {
    // Past jose's 1 s cooldown since the previous test's fetch.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2000 })
    const old = await signer('old', 'RS256')
    published = [old]
    await verify(await sign('old'))
    const before = fetches
    // The IdP rotates: only the new key is published; a token with the new kid makes jose
    // fetch again (after its 1 s cooldown).
    const fresh = await signer('new', 'RS256')
    published = [fresh]
    vi.setSystemTime(Date.now() + 2000)
    await verify(await sign('new'))
    expect(fetches).toBe(before + 1)
    expect(jwksFor(uri).fresh).toBe(true)
    await expect(verify(await sign('old', { jti: 'after-rotation' }))).rejects.toThrow()
  })
})

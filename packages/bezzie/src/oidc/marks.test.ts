import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { markHolds, markOf } from './marks.ts'
import type { KeySetView } from './verify-fast.ts'

const ISSUER = 'https://idp.example/'
const AUDIENCE = 'https://api.example'
const SCOPE = `${ISSUER} ${AUDIENCE}`
const options = { scope: SCOPE, issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 5 }

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']
let signing: PrivateKey
let published: JWK
let other: JWK

const set = (...keys: JWK[]): KeySetView => ({
  fresh: true,
  reloading: false,
  jwks: () => ({ keys: keys as Record<string, unknown>[] }),
})

const now = () => Math.floor(Date.now() / 1000)
const sign = (claims: Record<string, unknown> = {}, kid = 'k1') =>
  new SignJWT({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: now() + 3600, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .sign(signing)

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  signing = pair.privateKey
  published = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  const second = await generateKeyPair('RS256', { extractable: true })
  other = { ...(await exportJWK(second.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
})

describe('the mark of a verified access token', () => {
  it('names the key, the scope and the token, and holds while all three do', async () => {
    const token = await sign()
    const mark = markOf(token, set(published), 0, SCOPE)
    expect(mark).toMatchObject({ kid: 'k1', scope: SCOPE })
    expect(token.endsWith(mark?.tail as string)).toBe(true)
    expect(markHolds(token, mark, set(published), 0, options)).toMatchObject({ sub: 'alice' })
  })

  it('a key rotated out of the set: the mark no longer holds', async () => {
    const token = await sign()
    const mark = markOf(token, set(published), 0, SCOPE)
    expect(markHolds(token, mark, set(), 0, options)).toBeUndefined()
    expect(markHolds(token, mark, set({ ...other, kid: 'k2' }), 0, options)).toBeUndefined()
  })

  it('another key published under the same kid is not the key the mark names', async () => {
    const token = await sign()
    const mark = markOf(token, set(published), 0, SCOPE)
    expect(markHolds(token, mark, set(other), 0, options)).toBeUndefined()
  })

  it('a mark for another audience or issuer counts for nothing', async () => {
    const token = await sign()
    const mark = markOf(token, set(published), 0, SCOPE)
    const elsewhere = { ...options, scope: `${ISSUER} https://other-api.example` }
    expect(markHolds(token, mark, set(published), 0, elsewhere)).toBeUndefined()
    // The token's own claims are checked as jose would, too.
    const forOther = { ...options, audience: 'https://other-api.example' }
    expect(markHolds(token, mark, set(published), 0, forOther)).toBeUndefined()
  })

  it('a mark does not vouch for another token, nor for a token whose header names another kid', async () => {
    const token = await sign()
    const mark = markOf(token, set(published), 0, SCOPE)
    expect(
      markHolds(await sign({ sub: 'mallory' }), mark, set(published), 0, options),
    ).toBeUndefined()
    const [, payload, signature] = token.split('.')
    const header = btoa(JSON.stringify({ alg: 'RS256', kid: 'k2' })).replace(/=+$/, '')
    const relabelled = `${header}.${payload}.${signature}`
    expect(markHolds(relabelled, mark, set(published), 0, options)).toBeUndefined()
  })

  it('expired token replay: exp and nbf are checked on every read (with the clock tolerance)', async () => {
    const expired = await sign({ exp: now() - 10 })
    const late = markOf(expired, set(published), 0, SCOPE)
    expect(markHolds(expired, late, set(published), 0, options)).toBeUndefined()
    const justNow = await sign({ exp: now() - 2 })
    expect(
      markHolds(justNow, markOf(justNow, set(published), 0, SCOPE), set(published), 0, options),
    ).toBeDefined()
    const early = await sign({ nbf: now() + 60 })
    expect(
      markHolds(early, markOf(early, set(published), 0, SCOPE), set(published), 0, options),
    ).toBeUndefined()
  })

  it('no mark when the key cannot be named: no kid, or several keys under it', async () => {
    const noKid = await new SignJWT({ iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(signing)
    expect(markOf(noKid, set(published), 0, SCOPE)).toBeUndefined()
    expect(markOf(await sign(), set(published, other), 0, SCOPE)).toBeUndefined()
    expect(markHolds(await sign(), undefined, set(published), 0, options)).toBeUndefined()
  })

  it('a key rotated out between two fetches of the set: the new generation is read, the old copy not trusted', async () => {
    const token = await sign()
    let held: JWK[] = [published]
    let copies = 0
    const live: KeySetView & { reloading: boolean } = {
      fresh: true,
      reloading: false,
      jwks: () => {
        copies++
        return { keys: structuredClone(held) as Record<string, unknown>[] }
      },
    }
    const mark = markOf(token, live, 1, SCOPE)
    expect(markHolds(token, mark, live, 1, options)).toBeDefined()
    expect(markHolds(token, mark, live, 1, options)).toBeDefined()
    // jose copies the whole set on every jwks() call: taken once per fetch generation.
    expect(copies).toBe(1)
    held = [{ ...other, kid: 'k2' }]
    // Mid-fetch the set is read as it is, never cached under a generation it may not hold yet.
    live.reloading = true
    expect(markHolds(token, mark, live, 2, options)).toBeUndefined()
    live.reloading = false
    expect(markHolds(token, mark, live, 2, options)).toBeUndefined()
    expect(copies).toBe(3)
  })
})

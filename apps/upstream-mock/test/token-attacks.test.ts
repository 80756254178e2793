import { base64url, decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, inject, it } from 'vitest'
import { bearer, fetchWorker, fetchWorkerWith } from './fetch-worker.ts'

const AUDIENCE = 'https://api.bezzie.local'

async function expectInvalidToken(response: Response, message?: RegExp) {
  expect(response.status).toBe(403)
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
  const body = (await response.json()) as { error: string; message: string }
  expect(body.error).toBe('invalid_token')
  if (message) expect(body.message).toMatch(message)
}

/** A token claiming to come from the trusted issuer, with `header` and extra `claims`. */
function unsignedParts(header: object, claims: object = {}): string {
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    iss: inject('issuer'),
    aud: AUDIENCE,
    sub: 'alice',
    iat: now,
    exp: now + 300,
    ...claims,
  }
  const encode = (value: object) => base64url.encode(JSON.stringify(value))
  return `${encode(header)}.${encode(payload)}`
}

describe('bearer tokens the API must refuse', () => {
  it('rejects a garbage token', async () => {
    await expectInvalidToken(await fetchWorker('/api/me', bearer('not-a-jwt')), /malformed/)
  })

  it('rejects an ID token replayed as an access token (token substitution)', async () => {
    const idToken = inject('aliceIdToken')
    expect(decodeJwt(idToken).aud).toBe('bezzie-dev')
    await expectInvalidToken(await fetchWorker('/api/me', bearer(idToken)), /audience/)
  })

  it('rejects a tampered payload that keeps the original signature', async () => {
    const [header, , signature] = inject('aliceAccessToken').split('.')
    const payload = { ...decodeJwt(inject('aliceAccessToken')), sub: 'bob' }
    const forged = `${header}.${base64url.encode(JSON.stringify(payload))}.${signature}`
    await expectInvalidToken(await fetchWorker('/api/me', bearer(forged)), /signature/)
  })

  it('rejects a token forged with an attacker key under the issuer key id', async () => {
    const { kid } = decodeProtectedHeader(inject('aliceAccessToken'))
    const { privateKey } = await generateKeyPair('RS256')
    const forged = await new SignJWT({ scope: 'read:notes write:notes' })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
      .setIssuer(inject('issuer'))
      .setAudience(AUDIENCE)
      .setSubject('alice')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey)
    await expectInvalidToken(await fetchWorker('/api/me', bearer(forged)), /signature/)
  })

  it('rejects a token signed with a key the issuer does not publish', async () => {
    const { privateKey } = await generateKeyPair('ES256')
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'attacker' })
      .setIssuer(inject('issuer'))
      .setAudience(AUDIENCE)
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(privateKey)
    await expectInvalidToken(await fetchWorker('/api/me', bearer(forged)), /signature/)
  })

  it('rejects an unsigned token (alg "none")', async () => {
    const token = `${unsignedParts({ alg: 'none', typ: 'JWT' })}.`
    await expectInvalidToken(await fetchWorker('/api/me', bearer(token)))
  })

  it('rejects an HS256 token under the issuer key id (algorithm confusion)', async () => {
    const { kid } = decodeProtectedHeader(inject('aliceAccessToken'))
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid })
      .setIssuer(inject('issuer'))
      .setAudience(AUDIENCE)
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a secret the attacker chose, 32+ bytes long'))
    await expectInvalidToken(await fetchWorker('/api/me', bearer(forged)), /forbidden algorithm/)
  })

  it('rejects a valid token from another issuer', async () => {
    const token = inject('shortLivedAccessToken')
    expect(decodeJwt(token).iss).toBe(inject('shortLivedIssuer'))
    await expectInvalidToken(await fetchWorker('/api/me', bearer(token)))
  })

  it('rejects an expired token with a valid signature', async () => {
    const token = inject('shortLivedAccessToken')
    const { exp } = decodeJwt(token)
    const wait = ((exp ?? 0) + 1) * 1000 - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const response = await fetchWorkerWith(
      { ISSUER: inject('shortLivedIssuer') },
      '/api/me',
      bearer(token),
    )
    await expectInvalidToken(response, /expired/)
  })

  it('never echoes the rejected token in the error', async () => {
    const token = inject('aliceIdToken')
    const response = await fetchWorker('/api/me', bearer(token))
    expect(await response.text()).not.toContain(token.split('.')[1])
  })
})

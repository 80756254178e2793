import type { AddressInfo } from 'node:net'
import type { Idp } from '@bezzie/idp'
import { startIdp } from '@bezzie/idp'
import { bffClientMetadata } from '@bezzie/test-support/idp'
import { serve } from '@hono/node-server'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import type { BezzieConfig } from '../../../src/config.ts'
import { createBezzie } from '../../../src/create-bezzie.ts'
import { ConfigError } from '../../../src/errors.ts'
import type { ClientPrivateKey } from '../../../src/oidc/client-auth.ts'
import { testApp } from '../../support/app.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../../support/constants.ts'
import { login } from '../../support/login.ts'

// Pushed authorization requests (RFC 9126) and private_key_jwt client authentication (RFC 7523)
// against the real IdP: logins that succeed, and misconfigurations that fail with an error naming
// what is wrong.

const KEY_CLIENT = 'bezzie-key-client'

interface KeyPair {
  privateJwk: ClientPrivateKey
  publicJwk: JWK
}

async function keyPair(kid: string): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' } as ClientPrivateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  }
}

let parIdp: Idp
let keyIdp: Idp
let keyA: KeyPair
let keyB: KeyPair
let unregistered: KeyPair

beforeAll(async () => {
  ;[keyA, keyB, unregistered] = await Promise.all([keyPair('a'), keyPair('b'), keyPair('c')])
  const bff = bffClientMetadata({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    origins: [BASE_URL],
  })
  parIdp = await startIdp({
    port: 0,
    clients: [bff],
    resource: AUDIENCE,
    requirePushedAuthorizationRequests: true,
  })
  const { client_secret: _secret, ...keyClient } = bff
  keyIdp = await startIdp({
    port: 0,
    clients: [
      {
        ...keyClient,
        client_id: KEY_CLIENT,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [keyA.publicJwk, keyB.publicJwk] as never[] },
      },
      bff,
    ],
    resource: AUDIENCE,
  })
})
afterAll(async () => {
  await Promise.all([parIdp?.stop(), keyIdp?.stop()])
})

async function loginStatus(config: Partial<BezzieConfig> & Pick<BezzieConfig, 'issuer'>) {
  const t = testApp({ adapter: new MemoryAdapter(), ...config })
  const result = await login(t.browser)
  const me = await t.browser.get('/api/whoami')
  return { ...t, ...result, me }
}

describe('pushed authorization requests (RFC 9126)', () => {
  it('are used when the IdP requires them: the browser carries only client_id and request_uri', async () => {
    const { authorizationUrl, response, me } = await loginStatus({ issuer: parIdp.issuer })
    const url = new URL(authorizationUrl)
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri'])
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/)
    expect(response.status).toBe(302)
    expect(me.status).toBe(200)
  })

  it('are used with pushedAuthorizationRequests: true where the IdP merely offers them', async () => {
    const { authorizationUrl, me } = await loginStatus({
      issuer: keyIdp.issuer,
      pushedAuthorizationRequests: true,
    })
    expect(new URL(authorizationUrl).searchParams.has('code_challenge')).toBe(false)
    expect(me.status).toBe(200)
  })

  it('fail clearly with pushedAuthorizationRequests: false when the IdP requires them', async () => {
    const { browser, errors } = testApp({
      issuer: parIdp.issuer,
      adapter: new MemoryAdapter(),
      pushedAuthorizationRequests: false,
    })
    const res = await browser.get('/auth/login')
    expect(res.status).toBe(500)
    const body = (await res.json()) as { error: string; message: string }
    expect(body.error).toBe('config_invalid')
    expect(body.message).toContain('"pushedAuthorizationRequests"')
    expect(body.message).toContain('requires pushed authorization requests')
    expect(errors[0]?.code).toBe('config_invalid')
  })

  it('fail clearly when the IdP refuses the client at the PAR endpoint (502 naming invalid_client)', async () => {
    const { browser } = testApp({
      issuer: parIdp.issuer,
      adapter: new MemoryAdapter(),
      clientSecret: 'not-the-registered-secret-0123456789',
    })
    const res = await browser.get('/auth/login')
    expect(res.status).toBe(502)
    expect(await res.json()).toEqual({
      error: 'pushed_authorization_failed',
      message: 'the IdP refused the pushed authorization request (invalid_client)',
    })
  })
})

describe('private_key_jwt client authentication (RFC 7523)', () => {
  const keyConfig = (keys: ClientPrivateKey | ClientPrivateKey[], extra = {}) => ({
    issuer: keyIdp.issuer,
    clientId: KEY_CLIENT,
    clientSecret: undefined,
    clientPrivateKey: keys,
    ...extra,
  })

  it('logs in with a signed client assertion instead of a secret', async () => {
    const { response, me } = await loginStatus(keyConfig(keyA.privateJwk))
    expect(response.status).toBe(302)
    expect(me.status).toBe(200)
  })

  it('rotates keys: the first of several signs (kid b), with PAR authenticated the same way', async () => {
    const { me } = await loginStatus(
      keyConfig([keyB.privateJwk, keyA.privateJwk], { pushedAuthorizationRequests: true }),
    )
    expect(me.status).toBe(200)
  })

  it('fails clearly with a key the IdP does not know: 400 naming invalid_client and clientPrivateKey', async () => {
    const t = testApp({ adapter: new MemoryAdapter(), ...keyConfig(unregistered.privateJwk) })
    const { response } = await login(t.browser)
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error: 'token_exchange_failed',
      message: 'the IdP rejected the code (invalid_client: check clientId and clientPrivateKey)',
    })
  })

  it('publishes the public halves of every key at /auth/jwks, never the private parts', async () => {
    const { app } = testApp({
      adapter: new MemoryAdapter(),
      ...keyConfig([keyB.privateJwk, keyA.privateJwk]),
    })
    const res = await app.request('/auth/jwks')
    expect(res.status).toBe(200)
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] }
    expect(keys.map((k) => k.kid)).toEqual(['b', 'a'])
    for (const key of keys) {
      expect(key).not.toHaveProperty('d')
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' })
    }
    // No keys configured: no route.
    const secretOnly = testApp({ issuer: keyIdp.issuer, adapter: new MemoryAdapter() })
    expect((await secretOnly.app.request('/auth/jwks')).status).toBe(404)
  })

  it('rotates through the IdP fetching /auth/jwks (jwks_uri): a newly published key signs next', async () => {
    const current = { keys: [keyA.privateJwk] as ClientPrivateKey[] }
    const server = serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: (req) =>
        testApp({ adapter: new MemoryAdapter(), ...keyConfig(current.keys) }).app.fetch(req),
    })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/jwks`
    const bff = bffClientMetadata({ clientId: KEY_CLIENT, clientSecret: 'x', origins: [BASE_URL] })
    const { client_secret: _secret, ...metadata } = bff
    const idp = await startIdp({
      port: 0,
      clients: [
        {
          ...metadata,
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'ES256',
          jwks_uri: jwksUri,
        },
      ],
      resource: AUDIENCE,
    })
    try {
      const before = await loginStatus({ ...keyConfig(current.keys), issuer: idp.issuer })
      expect(before.me.status).toBe(200)
      // Step 1 publishes B next to A while A still signs.
      current.keys = [keyA.privateJwk, keyB.privateJwk]
      expect(
        (await loginStatus({ ...keyConfig(current.keys), issuer: idp.issuer })).me.status,
      ).toBe(200)
      // Step 2, once the IdP's copy of the key set is older than its max-age (300 s): B signs.
      vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 301_000)
      current.keys = [keyB.privateJwk, keyA.privateJwk]
      const after = await loginStatus({ ...keyConfig(current.keys), issuer: idp.issuer })
      expect(after.me.status).toBe(200)
    } finally {
      vi.restoreAllMocks()
      await idp.stop()
      ;(server as unknown as { closeAllConnections(): void }).closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it.each([
    [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }, 'clientPrivateKey', /private key/],
    ['{"kty":"EC"}', 'clientPrivateKey', /JSON.parse/],
    [{ kty: 'oct', k: 'abc', d: 'x' }, 'clientPrivateKey', /unsupported algorithm/],
    [
      [
        { kty: 'EC', crv: 'P-256', d: 'd' },
        { kty: 'EC', crv: 'P-256', d: 'e' },
      ],
      'clientPrivateKey[0]',
      /kid/,
    ],
    [[], 'clientPrivateKey', /empty/],
  ])('rejects clientPrivateKey %j with a ConfigError naming %s', (key, option, message) => {
    let error: unknown
    try {
      createBezzie({
        issuer: keyIdp.issuer,
        clientId: KEY_CLIENT,
        adapter: new MemoryAdapter(),
        baseUrl: BASE_URL,
        clientPrivateKey: key as never,
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).option).toBe(option)
    expect((error as ConfigError).message).toMatch(message)
  })

  it('rejects clientPrivateKey together with clientSecret', () => {
    expect(() =>
      createBezzie({
        issuer: keyIdp.issuer,
        clientId: KEY_CLIENT,
        clientSecret: CLIENT_SECRET,
        clientPrivateKey: keyA.privateJwk,
        adapter: new MemoryAdapter(),
        baseUrl: BASE_URL,
      }),
    ).toThrow(/either clientSecret or clientPrivateKey/)
  })
})

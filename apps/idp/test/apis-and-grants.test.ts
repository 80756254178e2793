import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { driveLogin, type Idp, startIdp } from '../src/index.ts'
import {
  authorizationRequest,
  decodePayload,
  login,
  REDIRECT_URI,
  testClient,
  tokenRequest,
} from './helpers.ts'

const MAIN = 'https://api.bezzie.local'
const BILLING = 'https://billing.bezzie.local'
const MFA = 'urn:bezzie:mfa'

describe('further APIs, client credentials and acr values (opt-in)', () => {
  let idp: Idp
  beforeAll(async () => {
    idp = await startIdp({
      clients: [
        testClient({
          grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        }),
      ],
      apis: [{ resource: BILLING, scopes: ['read:invoices'] }],
      clientCredentials: true,
      acrValues: [MFA],
    })
  })
  afterAll(() => idp?.stop())

  it('issues a client credentials token whose aud is the requested API, and counts the grant', async () => {
    idp.resetCounts()
    const { status, body } = await tokenRequest(idp.issuer, {
      grant_type: 'client_credentials',
      resource: BILLING,
      scope: 'read:invoices',
    })
    expect(status).toBe(200)
    expect(decodePayload(body.access_token)).toMatchObject({ aud: BILLING, scope: 'read:invoices' })
    expect(idp.counts['grant:client_credentials']).toBe(1)
  })

  it('refreshes a user token for the second API when the login asked for both', async () => {
    const request = authorizationRequest(idp.issuer, {
      resource: MAIN,
      scope: 'openid offline_access read:notes read:invoices',
    })
    const url = new URL(request.url)
    url.searchParams.append('resource', BILLING)
    const { callbackUrl } = await driveLogin(url.href, { username: 'alice', password: 'bezzie' })
    const code = new URL(callbackUrl).searchParams.get('code') as string
    const exchanged = await tokenRequest(idp.issuer, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: request.verifier,
      resource: MAIN,
    })
    expect(decodePayload(exchanged.body.access_token).aud).toBe(MAIN)
    const { status, body } = await tokenRequest(idp.issuer, {
      grant_type: 'refresh_token',
      refresh_token: exchanged.body.refresh_token as string,
      resource: BILLING,
    })
    expect(status).toBe(200)
    expect(decodePayload(body.access_token)).toMatchObject({ aud: BILLING, scope: 'read:invoices' })
  })

  it('grants a requested acr value it supports and none otherwise', async () => {
    const stepped = await login(idp.issuer, 'alice', { acr_values: MFA })
    expect(decodePayload(stepped.id_token as string).acr).toBe(MFA)
    const plain = await login(idp.issuer, 'alice')
    expect(decodePayload(plain.id_token as string).acr).not.toBe(MFA)
  })

  it('refuses an unknown resource with invalid_target', async () => {
    const { status, body } = await tokenRequest(idp.issuer, {
      grant_type: 'client_credentials',
      resource: 'https://unknown.example',
    })
    expect(status).toBe(400)
    expect(body.error).toBe('invalid_target')
  })

  it('serves no client credentials grant unless enabled', async () => {
    const plain = await startIdp({
      clients: [testClient({ grant_types: ['authorization_code', 'client_credentials'] })],
    }).catch((e: unknown) => e)
    // oidc-provider refuses a client registered for a grant the provider does not serve.
    expect(plain).toBeInstanceOf(TypeError)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Idp, startIdp } from '../src/index.ts'
import { testClient } from './helpers.ts'

describe('discovery', () => {
  let idp: Idp
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient()] })
  })
  afterAll(() => idp.stop())

  it('serves OpenID Provider metadata for the localhost issuer on the actual port', async () => {
    expect(idp.port).toBeGreaterThan(0)
    expect(idp.issuer).toBe(`http://localhost:${idp.port}`)
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`)
    expect(response.status).toBe(200)
    const metadata = await response.json()
    expect(metadata).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/auth`,
      token_endpoint: `${idp.issuer}/token`,
      jwks_uri: `${idp.issuer}/jwks`,
      revocation_endpoint: `${idp.issuer}/token/revocation`,
      end_session_endpoint: `${idp.issuer}/session/end`,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    })
    expect(metadata.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']),
    )
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
    )
  })

  it('publishes RS256 and ES256 public signing keys without private parts', async () => {
    const { keys } = (await (await fetch(`${idp.issuer}/jwks`)).json()) as {
      keys: Record<string, string>[]
    }
    expect(keys.map((key) => key.alg)).toEqual(['RS256', 'ES256'])
    for (const key of keys) expect(key).not.toHaveProperty('d')
  })

  it('generates new keys for every start', async () => {
    const other = await startIdp({ clients: [testClient()] })
    try {
      const kids = async (issuer: string) =>
        ((await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map(
          (key) => key.kid,
        )
      expect(await kids(other.issuer)).not.toEqual(await kids(idp.issuer))
    } finally {
      await other.stop()
    }
  })
})

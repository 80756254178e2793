import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, devClient, type Idp, startIdp } from '@bezzie/idp'
import { freePort } from '@bezzie/test-support/free-port'
import { loginForTokens } from '@bezzie/test-support/idp'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { TestProject } from 'vitest/node'

/** Seconds an access token from the short-lived IdP stays valid. */
const SHORT_TTL = 1

/** Logs a demo user in as the IdP's default `bezzie-dev` client and returns its tokens. */
function tokensFor(issuer: string, username: string) {
  return loginForTokens(issuer, {
    clientId: DEV_CLIENT_ID,
    clientSecret: DEV_CLIENT_SECRET,
    redirectUri: 'http://localhost:8787/auth/callback',
    scope: 'openid profile email read:notes write:notes',
    username,
  })
}

/** The second API's audience (the Worker's default `BILLING_AUDIENCE`). */
const BILLING = 'https://billing.bezzie.local'
/** A service client allowed the client credentials grant, for tokens of either API. */
const SERVICE_CLIENT = { client_id: 'upstream-test-service', client_secret: 'service-secret-0123' }

/**
 * The service client's own token for `resource` (client credentials grant); bound to the key of
 * `dpop` (RFC 9449) when given, with a proof for the token endpoint.
 */
async function serviceToken(
  issuer: string,
  resource: string,
  dpop?: CryptoKeyPair,
): Promise<string> {
  const proof = dpop && (await tokenEndpointProof(issuer, dpop))
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${SERVICE_CLIENT.client_id}:${SERVICE_CLIENT.client_secret}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
      ...(proof ? { dpop: proof } : {}),
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource }),
  })
  const body = (await response.json()) as { access_token?: string }
  if (!body.access_token) throw new Error(`client credentials failed: ${JSON.stringify(body)}`)
  return body.access_token
}

/** A DPoP proof for a POST to `issuer`'s token endpoint. */
async function tokenEndpointProof(issuer: string, keys: CryptoKeyPair): Promise<string> {
  return new SignJWT({ htm: 'POST', htu: `${issuer}/token`, jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(keys.publicKey) })
    .setIssuedAt()
    .sign(keys.privateKey)
}

/**
 * Starts real OpenID Providers on free ports: the one the Worker trusts (`ISSUER` binding); one
 * whose access tokens expire after a second, standing in for both "another issuer" and "an
 * expired token with a valid signature"; and one for fault injection and request counting, which
 * only the outage tests touch, so no other test file disturbs its counts.
 */
/** Lifetime (seconds) of the access tokens handed to the tests: longer than any run. */
const TOKENS_TTL = 3600

export default async function setup(project: TestProject) {
  const idps: Idp[] = []
  try {
    const idp = await startIdp({
      port: 0,
      // The tokens minted below are used by every test file: they must outlive the whole run,
      // which on a loaded machine takes longer than the default 5 minutes.
      accessTokenTtl: TOKENS_TTL,
      clients: [
        devClient(),
        {
          ...SERVICE_CLIENT,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
        },
      ],
      apis: [{ resource: BILLING, scopes: ['read:invoices'] }],
      clientCredentials: true,
    })
    idps.push(idp)
    const shortLived = await startIdp({ port: 0, accessTokenTtl: SHORT_TTL })
    idps.push(shortLived)
    const faulty = await startIdp({ port: 0, accessTokenTtl: TOKENS_TTL })
    idps.push(faulty)

    const alice = await tokensFor(idp.issuer, 'alice')
    const bob = await tokensFor(idp.issuer, 'bob')
    const shortLivedAlice = await tokensFor(shortLived.issuer, 'alice')
    const faultyAlice = await tokensFor(faulty.issuer, 'alice')

    project.provide('issuer', idp.issuer)
    project.provide('billingServiceToken', await serviceToken(idp.issuer, BILLING))
    project.provide('mainServiceToken', await serviceToken(idp.issuer, 'https://api.bezzie.local'))
    // A DPoP-bound token for the main API, and the private key it is bound to (as a JWK).
    const dpopKeys = await generateKeyPair('ES256', { extractable: true })
    project.provide(
      'dpopBoundToken',
      await serviceToken(idp.issuer, 'https://api.bezzie.local', dpopKeys),
    )
    project.provide('dpopPrivateJwk', JSON.stringify(await exportJWK(dpopKeys.privateKey)))
    project.provide('shortLivedIssuer', shortLived.issuer)
    project.provide('unreachableIssuer', `http://127.0.0.1:${await freePort()}`)
    project.provide('aliceAccessToken', alice.access_token)
    project.provide('aliceIdToken', alice.id_token)
    project.provide('bobAccessToken', bob.access_token)
    project.provide('shortLivedAccessToken', shortLivedAlice.access_token)
    project.provide('faultyIssuer', faulty.issuer)
    project.provide('faultyAccessToken', faultyAlice.access_token)
  } catch (error) {
    await Promise.all(idps.map((idp) => idp.stop()))
    throw error
  }
  return async () => {
    await Promise.all(idps.map((idp) => idp.stop()))
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    issuer: string
    shortLivedIssuer: string
    unreachableIssuer: string
    aliceAccessToken: string
    aliceIdToken: string
    bobAccessToken: string
    shortLivedAccessToken: string
    faultyIssuer: string
    faultyAccessToken: string
    billingServiceToken: string
    mainServiceToken: string
    dpopBoundToken: string
    dpopPrivateJwk: string
  }
}

import { type Idp, startIdp } from '@bezzie/idp'
import { bffClientMetadata } from '@bezzie/test-support/idp'
import type { TestProject } from 'vitest/node'
import {
  AUDIENCE,
  BASE_URL,
  CLIENT_ID,
  CLIENT_SECRET,
  SHORT_ACCESS_TOKEN_TTL,
} from './constants.ts'
import { startEchoUpstream } from './echo-upstream.ts'
import { DPOP_NONCE_SECRET, startUpstreamMock } from './upstream-mock.ts'

/** The BFF client of every test IdP, plus the callback of the custom-routes tests. */
export const bffClient = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, origins: [BASE_URL] }
const standard = bffClientMetadata(bffClient)
const testClient = {
  ...standard,
  redirect_uris: [...(standard.redirect_uris ?? []), `${BASE_URL}/custom/cb`],
}

/**
 * Starts an echoing upstream API and four real OpenID Providers on free ports: a default one (5-minute access tokens, no
 * refresh token rotation) one with seconds-long access tokens and rotation on, one reserved for fault injection, and one
 * that requires DPoP nonces, with the real apps/upstream-mock trusting it (DPoP nonces required there too).
 */
export default async function setup(project: TestProject) {
  const idps: Idp[] = []
  const upstream = await startEchoUpstream()
  const stops: (() => Promise<void>)[] = [() => upstream.stop()]
  project.provide('upstreamOrigin', upstream.origin)
  try {
    idps.push(await startIdp({ port: 0, clients: [testClient], resource: AUDIENCE }))
    idps.push(
      await startIdp({
        port: 0,
        clients: [testClient],
        resource: AUDIENCE,
        accessTokenTtl: SHORT_ACCESS_TOKEN_TTL,
        rotateRefreshTokens: true,
      }),
    )
    // Only fault-injection tests touch this one, so their faults never disturb other files.
    idps.push(await startIdp({ port: 0, clients: [testClient], resource: AUDIENCE }))
    // DPoP: the IdP and the upstream both demand nonces, so every round trip is exercised. Short
    // access tokens (like the rotating IdP's) let a test make the refresh due by moving its clock.
    idps.push(
      await startIdp({
        port: 0,
        clients: [
          {
            ...testClient,
            grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
          },
        ],
        resource: AUDIENCE,
        clientCredentials: true,
        dpopNonces: true,
      }),
    )
    const mock = await startUpstreamMock({
      ISSUER: idps[3]?.issuer as string,
      AUDIENCE,
      DPOP_NONCE_SECRET,
    })
    stops.push(mock.stop)
    project.provide('dpopUpstreamOrigin', mock.origin)
  } catch (error) {
    await Promise.all([...idps.map((idp) => idp.stop()), ...stops.map((stop) => stop())])
    throw error
  }
  project.provide('idpIssuer', idps[0]?.issuer as string)
  project.provide('idpRotatingIssuer', idps[1]?.issuer as string)
  project.provide('idpFaultIssuer', idps[2]?.issuer as string)
  project.provide('idpDpopIssuer', idps[3]?.issuer as string)
  return async () => {
    await Promise.all([...idps.map((idp) => idp.stop()), ...stops.map((stop) => stop())])
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    idpIssuer: string
    idpRotatingIssuer: string
    idpFaultIssuer: string
    upstreamOrigin: string
    idpDpopIssuer: string
    dpopUpstreamOrigin: string
  }
}

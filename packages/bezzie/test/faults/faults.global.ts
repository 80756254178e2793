import { type Idp, startIdp } from '@bezzie/idp'
import { bffClientMetadata } from '@bezzie/test-support/idp'
import type { TestProject } from 'vitest/node'
import { AUDIENCE } from '../support/constants.ts'
import { bffClient } from '../support/idp.global.ts'

/** Access-token lifetime (in seconds) of the fault suite's IdPs that scenarios drive by clock. */
export const FAULT_ACCESS_TOKEN_TTL = 30
/** Access-token lifetime (in seconds) of the load run's IdP: real time, short on purpose. */
export const LOAD_ACCESS_TOKEN_TTL = 4
/** The reuse interval (in seconds) of the IdPs configured like Auth0 / Okta. */
export const REUSE_INTERVAL_SECONDS = 60

/**
 * Starts the fault suite's OpenID Providers in the vitest main process, so a test that moves its
 * own process's clock (the app's clock ahead) leaves the IdPs' clocks alone. Every one rotates
 * refresh tokens:
 * - `faultIssuer`: reuse interval of 60 s, as Auth0 (reuse interval) and Okta (grace period)
 *   can be configured;
 * - `strictIssuer`: no reuse interval: any reuse of a rotated token revokes the grant
 *   (oidc-provider's default; Keycloak with "Revoke Refresh Token" and max reuse 0);
 * - `loadIssuer`: like `faultIssuer` with 4-second access tokens, for the load run in real time.
 * Faults are injected at their HTTP boundary through the `/__idp/` routes.
 */
export default async function setup(project: TestProject) {
  const clients = [bffClientMetadata(bffClient)]
  const started: Idp[] = []
  try {
    const start = (options: Parameters<typeof startIdp>[0]) =>
      startIdp({ port: 0, clients, resource: AUDIENCE, rotateRefreshTokens: true, ...options })
    started.push(
      await start({
        accessTokenTtl: FAULT_ACCESS_TOKEN_TTL,
        refreshTokenReuseInterval: REUSE_INTERVAL_SECONDS,
      }),
    )
    started.push(await start({ accessTokenTtl: FAULT_ACCESS_TOKEN_TTL }))
    started.push(
      await start({
        accessTokenTtl: LOAD_ACCESS_TOKEN_TTL,
        refreshTokenReuseInterval: REUSE_INTERVAL_SECONDS,
      }),
    )
  } catch (error) {
    await Promise.all(started.map((idp) => idp.stop()))
    throw error
  }
  const [fault, strict, load] = started as [Idp, Idp, Idp]
  project.provide('faultIssuer', fault.issuer)
  project.provide('strictIssuer', strict.issuer)
  project.provide('loadIssuer', load.issuer)
  return async () => {
    await Promise.all(started.map((idp) => idp.stop()))
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    faultIssuer: string
    strictIssuer: string
    loadIssuer: string
  }
}

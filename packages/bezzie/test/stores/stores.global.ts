import { startIdpForBff } from '@bezzie/test-support/idp'
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
  startUpstashBridge,
  type UpstashBridge,
} from '@bezzie/upstash-bridge'
import { exportJWK } from 'jose'
import type { TestProject } from 'vitest/node'
import { AUDIENCE } from '../support/constants.ts'
import idpSetup, { bffClient } from '../support/idp.global.ts'
import { startSigningIssuer } from '../support/signing-issuer.ts'

/** Access-token lifetime (in seconds) at the storm IdP; see refresh-storm.test.ts. */
export const STORM_ACCESS_TOKEN_TTL = 20

/**
 * For the workerd store suites: the real OpenID Providers (shared setup of the library's tests),
 * plus a real redis-server behind the Upstash REST bridge so the refresh storm can run on Redis
 * from inside workerd. Without redis-server (and outside CI) the Redis storm is skipped loudly.
 */
export default async function setup(project: TestProject) {
  const stopIdps = await idpSetup(project)
  // The refresh storm's own IdP: rotation on, and tokens long enough that a fresh one stays
  // outside the refresh buffer for the whole storm (2-second tokens would legitimately need a
  // second refresh as soon as the clock ticks past the next second).
  const stormIdp = await startIdpForBff(bffClient, {
    resource: AUDIENCE,
    accessTokenTtl: STORM_ACCESS_TOKEN_TTL,
    rotateRefreshTokens: true,
  })
  project.provide('stormIssuer', stormIdp.issuer)
  // Back-channel logout on KV + coordinator: an issuer whose key the tests sign logout tokens with.
  const logoutIssuer = await startSigningIssuer({
    discovery: { backchannel_logout_supported: true, backchannel_logout_session_supported: true },
  })
  project.provide('logoutIssuer', logoutIssuer.issuer)
  project.provide(
    'logoutSigningJwk',
    JSON.stringify({ ...(await exportJWK(logoutIssuer.signingKey)), kid: 'k1', alg: 'RS256' }),
  )
  let redis: RedisServer | undefined
  let bridge: UpstashBridge | undefined
  if (redisServerAvailable()) {
    redis = await startRedisServer()
    bridge = await startUpstashBridge({ redisUrl: redis.url })
  }
  project.provide('upstashUrl', bridge?.url ?? '')
  project.provide('upstashToken', bridge?.token ?? '')
  return async () => {
    await bridge?.stop()
    await redis?.stop()
    await stormIdp.stop()
    await logoutIssuer.close()
    await stopIdps()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    upstashUrl: string
    upstashToken: string
    stormIssuer: string
    logoutIssuer: string
    logoutSigningJwk: string
  }
}

import { startIdp } from '@bezzie/idp'
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
  startUpstashBridge,
  type UpstashBridge,
} from '@bezzie/upstash-bridge'
import type { TestProject } from 'vitest/node'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'
import idpSetup from '../support/idp.global.ts'

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
  const stormIdp = await startIdp({
    port: 0,
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${BASE_URL}/auth/callback`],
        post_logout_redirect_uris: [`${BASE_URL}/`],
      },
    ],
    resource: AUDIENCE,
    accessTokenTtl: STORM_ACCESS_TOKEN_TTL,
    rotateRefreshTokens: true,
  })
  project.provide('stormIssuer', stormIdp.issuer)
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
    await stopIdps()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    upstashUrl: string
    upstashToken: string
    stormIssuer: string
  }
}

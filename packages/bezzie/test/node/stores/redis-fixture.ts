import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
  startUpstashBridge,
  type UpstashBridge,
} from '@bezzie/upstash-bridge'
import { afterAll, beforeAll } from 'vitest'

/**
 * Whether redis-server exists here: skips the Redis suites loudly on a laptop without it, and
 * throws under CI=true (where .ci/run installs it) so a suite can never silently vanish.
 */
export const hasRedis = redisServerAvailable()

/** Starts a private redis-server (and optionally the Upstash REST bridge) for one test file. */
export function useRedisServer({ bridge = false } = {}) {
  const state: { server?: RedisServer; bridge?: UpstashBridge } = {}
  beforeAll(async () => {
    state.server = await startRedisServer()
    if (bridge) state.bridge = await startUpstashBridge({ redisUrl: state.server.url })
  })
  afterAll(async () => {
    await state.bridge?.stop()
    await state.server?.stop()
  })
  return {
    get url(): string {
      if (!state.server) throw new Error('redis-server not started yet')
      return state.server.url
    },
    get bridge(): UpstashBridge {
      if (!state.bridge)
        throw new Error('Upstash bridge not started (useRedisServer({ bridge: true }))')
      return state.bridge
    },
  }
}

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
  startUpstashBridge,
  type UpstashBridge,
} from '@bezzie/upstash-bridge'
import { Redis as UpstashRedis } from '@upstash/redis'
import { Redis as IORedis } from 'ioredis'
import { createClient } from 'redis'
import { describe, inject, it } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { redisAdapter } from '../../src/redis.ts'
import { FAULT_ACCESS_TOKEN_TTL } from './faults.global.ts'
import {
  expectBar,
  idp,
  isolate,
  Recorder,
  recover,
  report,
  round,
  roundsFor,
  SIZES,
  signIn,
  verify,
} from './harness.ts'

// Faults of the session store, with two app instances (separate module graphs, like two
// isolates) sharing it: a real redis-server stopped (SIGSTOP) and killed (SIGKILL, then restarted
// on its append-only file) by PID, behind ioredis and node-redis configured as docs/stores.md
// shows, and behind @upstash/redis through the REST bridge; and a store whose calls hang or throw.
// Every access token is due when the fault begins, so the refreshes (lock, compare-and-set) run
// into it.

/** How long each store fault lasts (in milliseconds). */
const FAULT_MS = 3000

interface StoreUnderTest {
  name: string
  adapter: SessionAdapter
  /** Ends the fault. */
  heal(): Promise<void>
  /** Begins the fault. */
  break(): Promise<void>
  close(): Promise<void>
}

async function storeScenario(scenario: string, store: StoreUnderTest) {
  const issuer = inject('faultIssuer')
  try {
    const a = await isolate('a', { issuer, adapter: store.adapter })
    const b = await isolate('b', { issuer, adapter: store.adapter })
    const isolates = [a, b]
    const sessions = await signIn(a, SIZES.sessions)
    const recorder = new Recorder()
    await round(isolates, sessions, recorder)
    await idp.resetCounts(issuer)
    for (const via of isolates) via.advance((FAULT_ACCESS_TOKEN_TTL + 10) * 1000)
    await store.break()
    await roundsFor(FAULT_MS, isolates, sessions, recorder)
    await store.heal()
    const recoveryMs = await recover(isolates, sessions, recorder)
    const unhealthyAfter = await verify(isolates, sessions, recorder, FAULT_ACCESS_TOKEN_TTL)
    return await report({
      scenario,
      store: store.name,
      issuer,
      sessions,
      recorder,
      recoveryMs,
      unhealthyAfter,
    })
  } finally {
    await store.close()
  }
}

type Client = 'ioredis' | 'node-redis' | '@upstash/redis'

/**
 * A redis-server with an append-only file fsynced on every write (so a kill loses nothing that
 * was acknowledged), and a client of the given kind, configured as docs/stores.md recommends.
 */
async function redisStore(
  client: Client,
  fault: 'SIGSTOP' | 'SIGKILL' | 'bridge down',
): Promise<StoreUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'bezzie-faults-redis-'))
  let server: RedisServer = await startRedisServer({ dir })
  let bridge: UpstashBridge | undefined
  let adapter: SessionAdapter
  let close: () => Promise<void>
  if (client === 'ioredis') {
    const redis = new IORedis(server.url, {
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    })
    redis.on('error', () => {})
    // Without the offline queue a command sent before the first connection is up fails.
    await new Promise((resolve) => redis.once('ready', resolve))
    adapter = redisAdapter(redis)
    close = async () => redis.disconnect()
  } else if (client === 'node-redis') {
    const redis = createClient({
      url: server.url,
      socket: {
        connectTimeout: 2_000,
        reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000),
      },
      disableOfflineQueue: true,
    })
    redis.on('error', () => {})
    await redis.connect()
    adapter = redisAdapter(redis)
    close = async () => {
      redis.destroy()
    }
  } else {
    bridge = await startUpstashBridge({ redisUrl: server.url })
    adapter = redisAdapter(
      new UpstashRedis({ url: bridge.url, token: bridge.token, enableTelemetry: false }),
    )
    close = async () => {}
  }
  return {
    name: `Redis via ${client}`,
    adapter,
    async break() {
      if (fault === 'bridge down') await bridge?.stop()
      else process.kill(server.pid, fault)
    },
    async heal() {
      if (fault === 'SIGSTOP') process.kill(server.pid, 'SIGCONT')
      else if (fault === 'SIGKILL') server = await startRedisServer({ port: server.port, dir })
      else if (bridge) {
        const { port } = new URL(bridge.url)
        bridge = await startUpstashBridge({
          redisUrl: server.url,
          token: bridge.token,
          port: Number(port),
        })
      }
    },
    async close() {
      await close()
      await bridge?.stop()
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

describe.runIf(redisServerAvailable())('redis-server stopped and killed by PID', () => {
  const clients: Client[] = ['ioredis', 'node-redis', '@upstash/redis']
  for (const client of clients) {
    it(`${client}: redis-server SIGSTOPped for 3 s (hangs)`, async () => {
      expectBar(
        await storeScenario(
          'redis-server SIGSTOPped for 3 s, 2 instances',
          await redisStore(client, 'SIGSTOP'),
        ),
      )
    })

    it(`${client}: redis-server SIGKILLed, restarted 3 s later on its append-only file`, async () => {
      expectBar(
        await storeScenario(
          'redis-server SIGKILLed, restarted after 3 s, 2 instances',
          await redisStore(client, 'SIGKILL'),
        ),
      )
    })
  }
})

const STORE_MODES = {
  hang: 'calls hang',
  throw: 'calls throw',
  'late-lock': 'lock granted after the caller gave up',
} as const

/**
 * A custom store (the adapter boundary) that, while broken: lets every call hang; makes every
 * call throw; or grants each lock 1.5 s late, after `storeMs` (as a Redis that was paused while
 * the lock's `SET NX` sat in its socket does), with every other call working.
 */
function brokenStore(mode: keyof typeof STORE_MODES): StoreUnderTest {
  const inner = new MemoryAdapter()
  let broken = false
  const gate = <T>(op: () => Promise<T>): Promise<T> => {
    if (!broken || mode === 'late-lock') return op()
    if (mode === 'hang') return new Promise<T>(() => {})
    return Promise.reject(new Error('ECONNRESET (injected)'))
  }
  const adapter: SessionAdapter = {
    get: (k) => gate(() => inner.get(k)),
    set: (k, v, o) => gate(() => inner.set(k, v, o)),
    delete: (k) => gate(() => inner.delete(k)),
    compareAndSet: (k, e, v, o) => gate(() => inner.compareAndSet(k, e, v, o)),
    setIfAbsent: (k, v, o) => gate(() => inner.setIfAbsent(k, v, o)),
    lock: async (k, ttl) => {
      if (broken && mode === 'late-lock') await new Promise((r) => setTimeout(r, 1500))
      return gate(() => inner.lock(k, ttl))
    },
  }
  return {
    name: `custom store (${STORE_MODES[mode]})`,
    adapter,
    async break() {
      broken = true
    },
    async heal() {
      broken = false
    },
    async close() {},
  }
}

describe.runIf(redisServerAvailable())('the Upstash REST endpoint down', () => {
  it('@upstash/redis: the REST endpoint refuses connections for 3 s, then comes back', async () => {
    expectBar(
      await storeScenario(
        'Upstash REST endpoint down (connection refused) for 3 s, 2 instances',
        await redisStore('@upstash/redis', 'bridge down'),
      ),
    )
  })
})

describe('store calls that hang or throw', () => {
  it('every store call hangs for 3 s', async () => {
    expectBar(
      await storeScenario('every store call hangs for 3 s, 2 instances', brokenStore('hang')),
    )
  })

  it('a lock granted after the caller gave up (a ghost lock) does not block the session for its TTL', async () => {
    expectBar(
      await storeScenario(
        'every lock granted 1.5 s late (after storeMs) for 3 s, 2 instances',
        brokenStore('late-lock'),
      ),
    )
  })

  it('every store call throws for 3 s', async () => {
    expectBar(
      await storeScenario('every store call throws for 3 s, 2 instances', brokenStore('throw')),
    )
  })
})

import { env } from 'cloudflare:workers'
import { Redis } from '@upstash/redis/cloudflare'
import { Hono } from 'hono'
import { describe, expect, it, vi } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { cloudflareKVAdapter } from '../../src/adapters/kv.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import type { BezzieConfig } from '../../src/config.ts'
import { durableObjectAdapter } from '../../src/durable-object.ts'
import { redisAdapter } from '../../src/redis.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { Browser } from '../support/browser.ts'
import { isCounted } from '../support/config.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'
import { laggingKV } from '../support/lagging-kv.ts'
import { idpCounts, login } from '../support/login.ts'

// The refresh storm: a session whose access token is about to expire gets N concurrent requests
// spread over two bezzie instances that share nothing but the store, while the IdP rotates
// refresh tokens (a second use of a rotated token is invalid_grant). Each instance comes from its
// own module graph (vi.resetModules), so its in-isolate single-flight map is its own, exactly as
// in two Worker isolates; only the store's lock can keep the refreshes down to one.

const N = 50
const issuer = () => env.STORM_ISSUER
// Access tokens live 20 s at the storm IdP; with a 17-second buffer a token needs a refresh 3 s
// after it was issued, and a freshly refreshed one does not for the next 3 s: the whole storm.
const REFRESH_BUFFER_SECONDS = 17
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const refreshGrants = async () => (await idpCounts(issuer()))['grant:refresh_token'] ?? 0

/** A Worker as the README wires it, built from one "isolate's" copy of the library. */
async function isolate(adapter: SessionAdapter, extra: Partial<BezzieConfig>) {
  vi.resetModules()
  const { createBezzie } = await import('../../src/create-bezzie.ts')
  const errors: string[] = []
  const auth = createBezzie({
    issuer: issuer(),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    baseUrl: BASE_URL,
    adapter,
    refreshBufferSeconds: REFRESH_BUFFER_SECONDS,
    ...extra,
    onError: (e) => {
      if (isCounted(e)) errors.push(e.code)
    },
  })
  const app = new Hono<BezzieEnv>()
  app.route('/auth', auth.routes())
  app.use('/api/*', auth.middleware())
  app.get('/api/whoami', (c) => c.json({ sub: c.var.user.sub, hasToken: !!c.var.accessToken }))
  return { app, createBezzie, errors }
}

interface StormResult {
  grants: number
  statuses: number[]
  errors: string[]
  sessionSurvived: boolean
}

async function storm(
  adapterFor: (isolate: 'a' | 'b') => SessionAdapter,
  extra: Partial<BezzieConfig> = {},
): Promise<StormResult> {
  const a = await isolate(adapterFor('a'), extra)
  const b = await isolate(adapterFor('b'), extra)
  // Two module graphs: two independent in-flight maps, discovery caches and JWKS caches.
  expect(a.createBezzie).not.toBe(b.createBezzie)

  const browser = new Browser((req) => a.app.fetch(req))
  await login(browser)
  const cookie = browser.cookieHeader()
  await sleep(3200)

  const before = await refreshGrants()
  const statuses = await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const app = i % 2 === 0 ? a.app : b.app
      const res = await app.fetch(new Request(`${BASE_URL}/api/whoami`, { headers: { cookie } }))
      return res.status
    }),
  )
  const grants = (await refreshGrants()) - before
  const after = await a.app.fetch(new Request(`${BASE_URL}/api/whoami`, { headers: { cookie } }))
  const result = {
    grants,
    statuses,
    errors: [...a.errors, ...b.errors],
    sessionSurvived: after.status === 200,
  }
  console.info(
    `refresh storm (${N} requests, 2 instances): grants=${grants}, ` +
      `non-200=${statuses.filter((s) => s !== 200).length}, errors=[${result.errors.join(',')}], ` +
      `session ${result.sessionSurvived ? 'kept' : 'LOST'}`,
  )
  return result
}

function expectOneRefreshNoLogout(result: StormResult) {
  expect(result.grants).toBe(1)
  expect(result.statuses).toEqual(Array(N).fill(200))
  expect(result.errors).toEqual([])
  expect(result.sessionSurvived).toBe(true)
}

describe('refresh storm under refresh-token rotation: 2 instances, one store', () => {
  it(`Durable Objects: ${N} concurrent requests make exactly one refresh grant and no logouts`, async () => {
    expectOneRefreshNoLogout(await storm(() => durableObjectAdapter(env.SESSION_STORE)))
  })

  it.runIf(env.UPSTASH_URL)(
    `Redis (@upstash/redis/cloudflare → real redis-server): exactly one refresh grant, no logouts`,
    async () => {
      expectOneRefreshNoLogout(
        await storm(() =>
          redisAdapter(
            new Redis({ url: env.UPSTASH_URL, token: env.UPSTASH_TOKEN, enableTelemetry: false }),
          ),
        ),
      )
    },
  )

  it('memory (one MemoryAdapter object shared in-process): exactly one refresh grant, no logouts', async () => {
    const shared = new MemoryAdapter()
    expectOneRefreshNoLogout(await storm(() => shared))
  })

  it('KV + coordinator (reads from KV, lock and compare-and-set in a Durable Object): exactly one refresh grant, no logouts', async () => {
    expectOneRefreshNoLogout(
      await storm(() =>
        cloudflareKVAdapter(env.SESSION_KV, { coordinator: env.SESSION_COORDINATOR }),
      ),
    )
  })

  it('KV + coordinator, the second instance in another location (its KV copy lags behind the refresh): exactly one refresh grant, no logouts', async () => {
    // Instance b keeps reading the expiring record from its location's KV cache for the whole
    // storm; under the lock it reads the coordinator's copy, finds the new tokens and uses them.
    // Sealed records (a secret) this time, which also keys the user's index object differently:
    // after vi.resetModules, workerd's test runner invalidates Durable Objects a previous test
    // created, and a login would meet that instead of the store.
    const lagging = laggingKV(env.SESSION_KV)
    expectOneRefreshNoLogout(
      await storm(
        (which) =>
          cloudflareKVAdapter(which === 'a' ? env.SESSION_KV : lagging, {
            coordinator: env.SESSION_COORDINATOR,
          }),
        { secret: 'refresh-storm-secret-0123456789abcdefghij' },
      ),
    )
  })

  it('KV (no lock) for contrast: the two instances refresh independently', async () => {
    const result = await storm(() => cloudflareKVAdapter(env.SESSION_KV))
    // Without a cross-isolate lock each instance sends its own refresh grant with the same refresh
    // token: the instances really are independent, so the single grant above is the lock's doing.
    // At a rotating IdP the second use revokes the grant; whether this storm already logs the user
    // out (measured: 50 of 50 requests failed in 2 of 3 runs) or only the next refresh does is up
    // to timing, so it is reported, not asserted. The documented KV limitation (docs/stores.md).
    expect(result.grants).toBeGreaterThanOrEqual(2)
  })
})

import { setTimeout as sleep } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import type { RedisServer } from '@bezzie/upstash-bridge'
import type { SessionAdapter } from 'bezzie'
import type { AppLike } from '../lib/app-like.ts'
import { bezzieApp, bezzieLogin, loadBezzie } from '../lib/bezzie-app.ts'
import type { BenchContext } from '../lib/context.ts'
import { APP_ORIGIN, startBenchIdp } from '../lib/idp.ts'
import { kvLike } from '../lib/kv-like.ts'
import { type Section, section } from '../lib/report.ts'
import { type Burst, fire, mergeBursts } from './fire.ts'
import type { StoreLink } from './storm-thread.ts'

const REQUESTS = 100
/** The control row: the same Redis without lock or conditional write, as Workers KV would be. */
const CONTROL = 'control: Redis with get/set/delete only (KV-like: no lock, no conditional write)'
/** IdP access-token lifetime and bezzie's refresh buffer (seconds): tokens become "expiring" 2 s after issue. */
const TOKEN_TTL = 4
const BUFFER = 2

interface StormResult {
  store: string
  instances: string
  grants: number
  burst: Burst
  afterStatus: number
  /** Status of a request once the token is due again: the rotated refresh-token chain still works. */
  nextRefresh: { status: number; grants: number }
  errors: number
  /** Whether every shooter's burst was still running when the others started (true overlap). */
  overlapped: boolean
}

/** A burst source: an app in this thread, or one in a worker thread (another isolate). */
type Shooter = (cookie: string, n: number, at: number) => Promise<Burst>

function threadShooter(
  issuer: string,
  link: StoreLink,
): Promise<{ shoot: Shooter; close: () => Promise<void> }> {
  const worker = new Worker(new URL('./storm-thread.ts', import.meta.url), {
    workerData: { issuer, link, refreshBufferSeconds: BUFFER },
  })
  return new Promise((resolve, reject) => {
    worker.once('error', reject)
    worker.once('message', (msg) => {
      if (msg !== 'ready') return reject(new Error(`storm thread said ${String(msg)}`))
      resolve({
        shoot: (cookie, n, at) =>
          new Promise((res) => {
            worker.once('message', res)
            worker.postMessage({ cookie, n, at })
          }),
        close: async () => {
          worker.postMessage('close')
          await worker.terminate()
        },
      })
    })
  })
}

/**
 * Refresh storm: 100 concurrent requests on one session whose access token is inside the refresh
 * buffer, with refresh-token rotation on at the IdP (a second refresh with the old token would be
 * refused and revoke the grant, so a missed single-flight shows up as failures, not just load).
 */
export async function stormSection(ctx: BenchContext): Promise<Section> {
  const controlAttempts = ctx.quick ? 1 : 3
  const s = section('storm', 'Refresh storm')
  s.method =
    `${REQUESTS} concurrent \`GET /api/user\` on one session, fired once its access token is inside the refresh buffer ` +
    `(IdP tokens live ${TOKEN_TTL} s, \`refreshBufferSeconds: ${BUFFER}\`, refresh-token rotation on). ` +
    'Refresh grants counted at the IdP; a request fails if it is not a 200, and counts as logged out if the response clears the session cookie. ' +
    'After the storm one more request must still be a 200, and so must a request once the new token is due for refresh in turn (the rotated refresh-token chain survived).'
  const bz = await loadBezzie()
  const idp = await startBenchIdp({ accessTokenTtl: TOKEN_TTL, rotateRefreshTokens: true })
  const results: StormResult[] = []
  let redis: RedisServer | undefined
  const cleanups: (() => Promise<void> | void)[] = []

  const storm = async (
    store: string,
    instances: string,
    apps: AppLike[],
    extra: Shooter[],
    errors: unknown[],
  ) => {
    const login = apps[0] as AppLike
    const cookie = await bezzieLogin(login)
    await sleep((TOKEN_TTL - BUFFER) * 1000 + 500)
    idp.resetCounts()
    const shooters: Shooter[] = [
      ...apps.map(
        (app): Shooter =>
          (c, n, at) =>
            fire(app, c, n, at),
      ),
      ...extra,
    ]
    const share = REQUESTS / shooters.length
    // Every isolate fires at the same instant, 300 ms from now (ample time for the thread to get the message).
    const at = Date.now() + 300
    const bursts = await Promise.all(shooters.map((shoot) => shoot(cookie, share, at)))
    const burst = mergeBursts(bursts)
    const overlapped =
      Math.max(...bursts.map((b) => b.startedAt)) < Math.min(...bursts.map((b) => b.endedAt))
    const grants = idp.counts['grant:refresh_token'] ?? 0
    const after = await login.request(`${APP_ORIGIN}/api/user`, { headers: { cookie } })
    await after.arrayBuffer()
    await sleep((TOKEN_TTL - BUFFER) * 1000 + 500)
    idp.resetCounts()
    const next = await login.request(`${APP_ORIGIN}/api/user`, { headers: { cookie } })
    await next.arrayBuffer()
    results.push({
      store,
      instances,
      grants,
      burst,
      afterStatus: after.status,
      nextRefresh: { status: next.status, grants: idp.counts['grant:refresh_token'] ?? 0 },
      errors: errors.length,
      overlapped,
    })
  }

  try {
    {
      const errors: unknown[] = []
      const adapter = new bz.MemoryAdapter()
      const app = bezzieApp(bz, {
        issuer: idp.issuer,
        adapter,
        refreshBufferSeconds: BUFFER,
        errors,
      })
      await storm('memory', '1 instance', [app], [], errors)
    }
    {
      const errors: unknown[] = []
      const adapter = new bz.MemoryAdapter()
      const apps = [0, 1].map(() =>
        bezzieApp(bz, { issuer: idp.issuer, adapter, refreshBufferSeconds: BUFFER, errors }),
      )
      await storm('memory', '2 instances, one isolate', apps, [], errors)
    }
    let redisSkipped: string | undefined
    try {
      const { findRedisServer, REDIS_INSTALL_HINT, startRedisServer, startUpstashBridge } =
        await import('@bezzie/upstash-bridge')
      if (!findRedisServer()) throw new Error(REDIS_INSTALL_HINT)
      const { redisAdapter } = await import('bezzie/redis')
      const { Redis } = await import('ioredis')
      const { Redis: Upstash } = await import('@upstash/redis')
      redis = await startRedisServer()
      const bridge = await startUpstashBridge({ redisUrl: redis.url })
      cleanups.push(() => bridge.stop())
      const links: { name: string; link: StoreLink }[] = [
        { name: 'Redis (ioredis → redis-server)', link: { kind: 'ioredis', url: redis.url } },
        { name: CONTROL, link: { kind: 'ioredis', url: redis.url, kvLike: true } },
        {
          name: 'Redis (@upstash/redis → REST bridge → redis-server)',
          link: { kind: 'upstash', url: bridge.url, token: bridge.token },
        },
      ]
      for (const { name, link } of links) {
        let adapter: SessionAdapter
        if (link.kind === 'ioredis') {
          const client = new Redis(link.url)
          cleanups.push(() => client.disconnect())
          adapter = link.kvLike ? kvLike(redisAdapter(client)) : redisAdapter(client)
        } else {
          adapter = redisAdapter(new Upstash({ url: link.url, token: link.token }))
        }
        const make = (errors: unknown[]) =>
          bezzieApp(bz, { issuer: idp.issuer, adapter, refreshBufferSeconds: BUFFER, errors })
        if (!link.kvLike) {
          const errors: unknown[] = []
          await storm(name, '1 instance', [make(errors)], [], errors)
        }
        {
          const other = await threadShooter(idp.issuer, link)
          cleanups.push(other.close)
          // The control's race is timing-dependent: give it several chances to show.
          const attempts = link.kvLike ? controlAttempts : 1
          for (let attempt = 1; attempt <= attempts; attempt++) {
            const errors: unknown[] = []
            await storm(
              name,
              `2 isolates (main + worker thread)${attempts > 1 ? `, attempt ${attempt}` : ''}`,
              [make(errors)],
              [other.shoot],
              errors,
            )
          }
        }
      }
    } catch (err) {
      redisSkipped = (err as Error).message
    }

    s.tables.push({
      columns: [
        'Store',
        'Instances',
        'Refresh grants (target 1)',
        'Non-200 (target 0)',
        'Logged out (target 0)',
        'Statuses',
        'After storm',
        'Next refresh',
        'Burst ms',
      ],
      rows: results.map((r) => {
        const non200 = Object.entries(r.burst.statuses)
          .filter(([k]) => k !== '200')
          .reduce((a, [, v]) => a + v, 0)
        return [
          r.store,
          r.overlapped ? r.instances : `${r.instances} (bursts did not overlap)`,
          r.grants,
          non200,
          r.burst.loggedOut,
          Object.entries(r.burst.statuses)
            .map(([k, v]) => `${k}×${v}`)
            .join(' '),
          r.afterStatus,
          `${r.nextRefresh.status} (${r.nextRefresh.grants} grant)`,
          r.burst.endedAt - r.burst.startedAt,
        ]
      }),
    })
    const real = results.filter((r) => r.store !== CONTROL)
    for (const r of results) {
      const non200 = REQUESTS - (r.burst.statuses['200'] ?? 0)
      const label = `${r.store}, ${r.instances}`
      if (r.errors > 0)
        s.notes.push(`${label}: bezzie reported ${r.errors} error(s) through onError.`)
      if (r.store === CONTROL) continue
      s.targets.push({
        metric: `Refresh grants in a storm (${label})`,
        target: '1',
        actual: String(r.grants),
        met: r.grants === 1,
        ...(r.grants === 1 ? {} : { why: `${r.grants - 1} extra refresh(es)` }),
      })
      s.targets.push({
        metric: `Failed or logged-out requests in a storm (${label})`,
        target: '0',
        actual: `${non200} failed, ${r.burst.loggedOut} logged out`,
        met:
          non200 === 0 &&
          r.burst.loggedOut === 0 &&
          r.afterStatus === 200 &&
          r.nextRefresh.status === 200,
      })
    }
    s.headlines.push({
      metric: `Refresh storm, ${REQUESTS} concurrent requests: refresh grants / failed (${real.map((r) => `${r.store.replace(/ \(([^ ]+).*\)$/, ' $1')} ${r.instances.replace(/ \(.*\)$/, '')}`).join(' · ')})`,
      value: real
        .map(
          (r) => `${r.grants} / ${REQUESTS - (r.burst.statuses['200'] ?? 0) + r.burst.loggedOut}`,
        )
        .join(' · '),
      target: '1 / 0',
    })
    const controls = results.filter((r) => r.store === CONTROL)
    if (controls.length > 0) {
      const outcome = (r: StormResult) => {
        const non200 = REQUESTS - (r.burst.statuses['200'] ?? 0)
        return { raced: r.grants > 1 || non200 > 0 || r.nextRefresh.status !== 200, non200 }
      }
      const raced = controls.filter((r) => outcome(r).raced)
      const summary = controls
        .map(
          (r) =>
            `${r.grants} grant(s), ${outcome(r).non200} failed, next refresh ${r.nextRefresh.status}`,
        )
        .join(' · ')
      s.headlines.push({
        metric: `Control: the same storm on Redis with the lock removed (KV-like), 2 isolates, ${controls.length} attempt(s)`,
        value: summary,
      })
      s.notes.push(
        `Control (not a target): with the lock and conditional write removed, the two isolates raced in ${raced.length} of ${controls.length} attempt(s): ${summary}. ` +
          (raced.length > 0
            ? 'A race means two refreshes with the same refresh token; the IdP sees a rotated token reused and revokes the grant, so the session fails at once or at its next refresh. This is what a store without a lock (Workers KV) risks across isolates with a rotating IdP, and it shows the storm can tell the difference.'
            : 'The race is timing-dependent and did not happen in this run; the rows above passed with the same timing.'),
      )
    }
    s.notes.push(
      '"2 instances, one isolate": two `createBezzie` on one `MemoryAdapter` in the same thread (a memory store cannot be shared across isolates). ' +
        '"2 isolates": this thread and a worker thread, each with its own module graph, bezzie instance and Redis connection, sharing only redis-server.',
      'Workers KV and Durable Objects run only inside workerd: their storms are in the workerd section below.',
    )
    if (redisSkipped) {
      s.status = 'partial'
      s.reason = `Redis storms not run: ${redisSkipped}`
    }
    s.data = results
    return s
  } finally {
    for (const c of cleanups.reverse()) await c()
    await redis?.stop()
    await idp.stop()
  }
}

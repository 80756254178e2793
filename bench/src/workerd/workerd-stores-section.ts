import { setTimeout as sleep } from 'node:timers/promises'
import type { BenchContext } from '../lib/context.ts'
import { kvWrites, reads, type StoreCounts, writes, zeroCounts } from '../lib/counting-adapter.ts'
import { type Section, section } from '../lib/report.ts'
import { httpLogin, startHttpLogin } from './http-flow.ts'
import { SHORT_BUFFER, SHORT_TOKEN_TTL, type WorkerdEnv } from './workerd-env.ts'

const STORE_NAMES: Record<string, string> = {
  kv: 'Workers KV',
  kvc: 'Workers KV + coordinator',
  do: 'Durable Object',
}
/** The stores measured: plain KV, KV with its Durable Object coordinator, Durable Objects. */
const STORES = ['kv', 'kvc', 'do'] as const
const onKV = (store: string) => store === 'kv' || store === 'kvc'
const KV_FREE_WRITES_PER_DAY = 1000
const STORM = 100

interface StoreRun {
  store: string
  enc: string
  login: StoreCounts
  steady: { reads: number; writes: number; idp: number; requests: number }
  refresh: StoreCounts
  refreshGrants: number
  logout: StoreCounts
  storm: {
    grants: number
    statuses: Record<string, number>
    after: number
    next: number
    ms: number
  }
}

const idpTotal = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .filter(([k]) => !k.startsWith('grant:'))
    .reduce((a, [, v]) => a + v, 0)

/**
 * Store operations and refresh storms on the real Cloudflare stores as workerd runs them locally
 * (Miniflare's KV and SQLite-backed Durable Objects), counted inside the Worker at the adapter
 * boundary and read back over HTTP.
 */
export async function workerdStoresSection(ctx: BenchContext, env: WorkerdEnv): Promise<Section> {
  const s = section(
    'workerd-stores',
    'Store operations and refresh storms on KV and Durable Objects (workerd)',
  )
  const steadyRequests = ctx.quick ? 50 : 200
  s.method =
    'bench/worker under `wrangler dev`, bezzie per request on `cloudflareKVAdapter` (plain, or with `{ coordinator }`) or `durableObjectAdapter` wrapped in the same counting adapter, counts read from the Worker after each step. ' +
    `Login, ${steadyRequests} steady-state requests, one refreshing request (a route with a refresh buffer longer than the token), logout; ` +
    `then a storm of ${STORM} concurrent HTTP requests on a session from an IdP with ${SHORT_TOKEN_TTL} s tokens and rotation, fired once the token is inside a ${SHORT_BUFFER} s buffer. ` +
    'wrangler dev runs one isolate, so the storm here exercises single-flight within an isolate plus the store’s own behaviour.'
  const counts = async (store: string): Promise<StoreCounts> => {
    const res = await fetch(`${env.origin}/__bench/counts/${store}`)
    return ((await res.json()) as StoreCounts | null) ?? zeroCounts()
  }
  const runs: StoreRun[] = []
  for (const store of STORES) {
    for (const enc of ['plain', 'secret']) {
      const base = env.prefix(store, 'long', enc)
      let mark = Date.now()
      const step = (name: string) => {
        ctx.log(`    ${store}/${enc} ${name}: ${Date.now() - mark} ms`)
        mark = Date.now()
      }
      await counts(store)
      const pending = await startHttpLogin(`${base}/auth`)
      const cookie = await pending.finish()
      const login = await counts(store)
      step('login')

      env.idp.resetCounts()
      let failed = 0
      for (let i = 0; i < steadyRequests; i++) {
        const res = await fetch(`${base}/api/user`, { headers: { cookie } })
        await res.arrayBuffer()
        if (res.status !== 200) failed++
      }
      if (failed > 0)
        throw new Error(`${store}/${enc}: ${failed} steady-state requests were not 200`)
      const st = await counts(store)
      step('steady')
      const steady = {
        reads: reads(st) / steadyRequests,
        writes: writes(st) / steadyRequests,
        idp: idpTotal(env.idp.counts) / steadyRequests,
        requests: steadyRequests,
      }

      env.idp.resetCounts()
      const r = await fetch(`${env.prefix(store, 'refresh', enc)}/api/user`, {
        headers: { cookie },
      })
      await r.arrayBuffer()
      if (r.status !== 200)
        throw new Error(`${store}/${enc}: the refreshing request answered ${r.status}`)
      const refresh = await counts(store)
      step('refresh')
      const refreshGrants = env.idp.counts['grant:refresh_token'] ?? 0

      const out = await fetch(`${base}/auth/logout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, origin: env.origin, 'sec-fetch-site': 'same-origin' },
      })
      await out.arrayBuffer()
      if (out.status >= 400) throw new Error(`${store}/${enc}: logout answered ${out.status}`)
      const logout = await counts(store)
      step('logout')

      const stormBase = env.prefix(store, 'short', enc)
      const stormCookie = await httpLogin(`${stormBase}/auth`, `${stormBase}/api/user`)
      step('storm login')
      await sleep((SHORT_TOKEN_TTL - SHORT_BUFFER) * 1000 + 500)
      env.idpShort.resetCounts()
      const t0 = Date.now()
      const statuses: Record<string, number> = {}
      await Promise.all(
        Array.from({ length: STORM }, async () => {
          const res = await fetch(`${stormBase}/api/user`, { headers: { cookie: stormCookie } })
          await res.arrayBuffer()
          statuses[res.status] = (statuses[res.status] ?? 0) + 1
        }),
      )
      const ms = Date.now() - t0
      const grants = env.idpShort.counts['grant:refresh_token'] ?? 0
      const after = await fetch(`${stormBase}/api/user`, { headers: { cookie: stormCookie } })
      await after.arrayBuffer()
      // Once the new token is due in turn, the rotated refresh-token chain must still work.
      await sleep((SHORT_TOKEN_TTL - SHORT_BUFFER) * 1000 + 500)
      const next = await fetch(`${stormBase}/api/user`, { headers: { cookie: stormCookie } })
      await next.arrayBuffer()
      step('storm')
      await counts(store)
      runs.push({
        store,
        enc,
        login,
        steady,
        refresh,
        refreshGrants,
        logout,
        storm: { grants, statuses, after: after.status, next: next.status, ms },
      })
    }
  }

  const label = (r: StoreRun) =>
    `${STORE_NAMES[r.store]}, ${r.enc === 'secret' ? 'with' : 'without'} secret`
  const rw = (c: StoreCounts) => `${reads(c)} / ${writes(c)}`
  s.tables.push({
    caption: 'Store reads / writes per operation (counted at the adapter)',
    columns: [
      'Store',
      'Login',
      'Steady request',
      'Refresh',
      'Logout',
      'KV-write budget: logins a day',
    ],
    rows: runs.map((r) => [
      label(r),
      rw(r.login),
      `${r.steady.reads} / ${r.steady.writes}`,
      rw(r.refresh),
      rw(r.logout),
      onKV(r.store)
        ? String(Math.floor(KV_FREE_WRITES_PER_DAY / (kvWrites(r.login) + kvWrites(r.logout))))
        : 'n/a',
    ]),
  })
  s.tables.push({
    caption: `Refresh storm (${STORM} concurrent requests over HTTP)`,
    columns: [
      'Store',
      'Refresh grants (target 1)',
      'Non-200 (target 0)',
      'Statuses',
      'After storm',
      'Next refresh',
      'Burst ms',
    ],
    rows: runs.map((r) => [
      label(r),
      r.storm.grants,
      STORM - (r.storm.statuses['200'] ?? 0),
      Object.entries(r.storm.statuses)
        .map(([k, v]) => `${k}×${v}`)
        .join(' '),
      r.storm.after,
      r.storm.next,
      r.storm.ms,
    ]),
  })
  for (const r of runs) {
    const non200 = STORM - (r.storm.statuses['200'] ?? 0)
    s.targets.push(
      {
        metric: `IdP calls / store reads / writes per steady request (${label(r)})`,
        target: '0 / 1 / 0',
        actual: `${r.steady.idp} / ${r.steady.reads} / ${r.steady.writes}`,
        met: r.steady.idp === 0 && r.steady.reads === 1 && r.steady.writes === 0,
      },
      {
        metric: `Refresh grants in a storm (${label(r)})`,
        target: '1',
        actual: String(r.storm.grants),
        met: r.storm.grants === 1,
        ...(r.storm.grants === 1 ? {} : { why: `${r.storm.grants - 1} extra refresh(es)` }),
      },
      {
        metric: `Failed requests in a storm (${label(r)})`,
        target: '0',
        actual: String(non200),
        met: non200 === 0 && r.storm.after === 200 && r.storm.next === 200,
      },
    )
  }
  s.notes.push(
    'KV offers neither lock, conditional write nor index (see `cloudflareKVAdapter`), so on KV a refresh is plain get/set and logout does not touch an index; the Durable Object adapter offers all three.',
    'KV + coordinator (`cloudflareKVAdapter(kv, { coordinator })`): `get` reads KV at the edge; every other operation is a call to the `BezzieKVCoordinator` Durable Object (`getLatest`, lock, compare-and-set, the index), and set, compare-and-set, set-if-absent and delete also write KV. The KV-write budget counts only those KV writes.',
    `Workers KV Free plan: ${KV_FREE_WRITES_PER_DAY} writes (put or delete) a day; the budget column divides it by the writes of one login plus one logout.`,
  )
  for (const store of STORES) {
    const mine = runs.filter((r) => r.store === store)
    const budget = (r: StoreRun) =>
      Math.floor(KV_FREE_WRITES_PER_DAY / (kvWrites(r.login) + kvWrites(r.logout)))
    s.headlines.push({
      metric: `${STORE_NAMES[store]} (workerd): store writes per login / refresh / logout (without · with secret)`,
      value:
        mine
          .map((r) => `${writes(r.login)} / ${writes(r.refresh)} / ${writes(r.logout)}`)
          .join(' · ') +
        (onKV(store)
          ? ` → ${mine.map(budget).join(' · ')} login+logout cycles a day on the Free plan's ${KV_FREE_WRITES_PER_DAY} KV writes`
          : ''),
    })
  }
  s.headlines.push({
    metric: `KV · KV + coordinator · Durable Object (workerd): IdP calls / store reads / writes per request; storm of ${STORM}: grants / failed`,
    value: STORES.map((store) => {
      const r = runs.find((x) => x.store === store && x.enc === 'plain') as StoreRun
      return `${r.steady.idp} / ${r.steady.reads} / ${r.steady.writes}; ${r.storm.grants} / ${STORM - (r.storm.statuses['200'] ?? 0)}`
    }).join(' · '),
    target: '0 / 1 / 0; 1 / 0',
  })
  s.data = runs
  return s
}

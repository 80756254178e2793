import autocannon from 'autocannon'
import type { BenchContext } from '../lib/context.ts'
import { ratio } from '../lib/format.ts'
import { type Section, section } from '../lib/report.ts'
import { median, quantileSorted } from '../lib/stats.ts'
import { httpLogin, oidcAuthHttpLogin } from './http-flow.ts'
import type { WorkerdEnv } from './workerd-env.ts'

interface Route {
  name: string
  path: string
  cookie: string
  /** Whether a 200 here proves the session was accepted (the baseline routes accept anything). */
  authenticated: boolean
}

interface Run {
  route: string
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  /** workerd CPU time (user + system) per completed request, in µs. */
  cpuUs: number
}

/**
 * Throughput through workerd: `wrangler dev` serving bench/worker, autocannon on loopback, routes
 * of the same Worker interleaved in equal slices (rotating which goes first each round).
 */
export async function throughputSection(ctx: BenchContext, env: WorkerdEnv): Promise<Section> {
  const s = section('throughput', 'Throughput through workerd (wrangler dev)')
  // Many short slices rather than a few long ones: on a shared machine, load comes in bursts, and
  // adjacent one-second slices see the same weather, so their ratio survives it.
  const rounds = ctx.quick ? 3 : 12
  const seconds = 1
  const connections = 10
  s.method =
    '`wrangler dev` (local workerd, one isolate) serving bench/worker; every route answers the same JSON. ' +
    '`/api/user` is the demo’s pattern: `createBezzie` per request, `auth.middleware()`, `cloudflareKVAdapter` on Miniflare’s local KV. ' +
    '`/mem/api/user` is the same with an isolate-level `MemoryAdapter` (bezzie’s own CPU cost without the KV round trip); `/kv-read` is the bare route plus one KV `get` of an absent key, `/kv-read-hit` plus one `get` that finds a copy of the real session value (the store’s cost alone, miss and hit); ' +
    '`/oidc/api/user` is `@hono/oidc-auth` with a session from its own login flow over HTTP. ' +
    `autocannon on loopback, ${connections} connections, ${seconds} s slices, ${rounds} round(s) after a 1 s warm-up of each route; ratios are medians over rounds of route/bare. ` +
    'autocannon and workerd share the same 2 cores (with other people’s work): wall-clock req/s and latency swing with that load, so the bench also reads the CPU time the workerd processes used per request from /proc (user + system, 10 ms ticks, summed over a slice). ' +
    'CPU per request is the steadier number, and the one Workers bills and limits. In local mode it includes Miniflare’s own proxy and its simulated KV, which in production are a network hop with no CPU cost for the Worker.'
  const { idp, origin } = env
  const kvCookie = await httpLogin(`${origin}/auth`, `${origin}/api/user`)
  const memCookie = await httpLogin(`${origin}/mem/auth`, `${origin}/mem/api/user`)
  const oidcCookie = await oidcAuthHttpLogin(`${origin}/oidc/api/user`)
  const copied = await fetch(`${origin}/__bench/kv-copy-session`, { method: 'POST' })
  if (!copied.ok) throw new Error(`could not copy the KV session: HTTP ${copied.status}`)
  const { bytes: sessionBytes } = (await copied.json()) as { bytes: number }
  const routes: Route[] = [
    { name: '`/bare` (no auth)', path: '/bare', cookie: kvCookie, authenticated: false },
    {
      name: '`/kv-read` (no auth, one KV get)',
      path: '/kv-read',
      cookie: kvCookie,
      authenticated: false,
    },
    {
      name: `\`/kv-read-hit\` (no auth, one KV get of a ${sessionBytes}-byte session value)`,
      path: '/kv-read-hit',
      cookie: kvCookie,
      authenticated: false,
    },
    {
      name: '`/mem/api/user` (bezzie, memory store)',
      path: '/mem/api/user',
      cookie: memCookie,
      authenticated: true,
    },
    { name: '`/api/user` (bezzie, KV)', path: '/api/user', cookie: kvCookie, authenticated: true },
    {
      name: '`/oidc/api/user` (@hono/oidc-auth)',
      path: '/oidc/api/user',
      cookie: oidcCookie,
      authenticated: true,
    },
  ]
  const hit = (r: Route, duration: number) =>
    autocannon({ url: `${origin}${r.path}`, connections, duration, headers: { cookie: r.cookie } })
  for (const r of routes) await hit(r, 1)
  idp.resetCounts()
  const runs: Run[][] = routes.map(() => [])
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < routes.length; k++) {
      const i = (k + round) % routes.length
      const cpu0 = env.worker.cpuMs()
      const res = await hit(routes[i] as Route, seconds)
      const cpuMs = env.worker.cpuMs() - cpu0
      ;(runs[i] as Run[]).push({
        cpuUs: (cpuMs * 1000) / Math.max(1, res.requests.total),
        route: (routes[i] as Route).path,
        rps: res.requests.average,
        p50: res.latency.p50,
        p99: res.latency.p99,
        non2xx: res.non2xx,
        errors: res.errors + res.timeouts,
      })
    }
  }
  const idpCalls = Object.entries(idp.counts)
    .filter(([k]) => !k.startsWith('grant:'))
    .reduce((a, [, v]) => a + v, 0)
  const bare = runs[0] as Run[]
  /** CPU above bare in the same round: median and interquartile range over rounds, in µs. */
  const extra = (rs: Run[]) => {
    const d = Float64Array.from(rs.map((r, i) => r.cpuUs - (bare[i] as Run).cpuUs)).sort()
    const q = (p: number) => quantileSorted(d, p).toFixed(0)
    const withinNoise = quantileSorted(d, 0.25) <= 0 && quantileSorted(d, 0.75) >= 0
    return `${q(0.5)} µs (IQR ${q(0.25)} to ${q(0.75)}${withinNoise ? ': not distinguishable from bare' : ''})`
  }
  const ratioTo = (rs: Run[]) => median(rs.map((r, i) => r.rps / (bare[i] as Run).rps))
  const cpuRatio = (rs: Run[]) => median(rs.map((r, i) => r.cpuUs / (bare[i] as Run).cpuUs))
  const med = (rs: Run[], f: (r: Run) => number) => median(rs.map(f))
  s.tables.push({
    columns: [
      'Route',
      'workerd CPU / request',
      'CPU ratio to bare',
      'CPU above bare (paired)',
      'req/s',
      'req/s ratio to bare',
      'p50',
      'p99',
      'non-2xx',
      'errors',
    ],
    rows: routes.map((r, i) => {
      const rs = runs[i] as Run[]
      return [
        r.name,
        `${med(rs, (x) => x.cpuUs).toFixed(0)} µs`,
        ratio(cpuRatio(rs)),
        i === 0 ? '—' : extra(rs),
        med(rs, (x) => x.rps).toFixed(0),
        ratio(ratioTo(rs)),
        `${med(rs, (x) => x.p50).toFixed(1)} ms`,
        `${med(rs, (x) => x.p99).toFixed(1)} ms`,
        rs.reduce((a, x) => a + x.non2xx, 0),
        rs.reduce((a, x) => a + x.errors, 0),
      ]
    }),
  })
  const perSlice = median(runs.flat().map((r) => r.rps * seconds))
  s.notes.push(
    `CPU uncertainty: the 10 ms clock tick alone is ±${(10_000 / Math.max(1, perSlice)).toFixed(0)} µs per request over the ~${perSlice.toFixed(0)} requests of a slice, but the spread between rounds (the IQR column) is far larger: local workerd spends about a millisecond of CPU per request on its own proxying, and that swings with the machine. ` +
      'The IQR is the honest error bar; a route whose IQR spans zero costs too little to tell apart from bare here.',
    `IdP requests during the measured slices: ${idpCalls} (each session came from one real login through the Worker before).`,
  )
  const runsOf = (path: string) => runs[routes.findIndex((r) => r.path === path)] as Run[]
  const kv = runsOf('/api/user')
  const mem = runsOf('/mem/api/user')
  const oidc = runsOf('/oidc/api/user')
  const kvMiss = runsOf('/kv-read')
  const kvHit = runsOf('/kv-read-hit')
  const cpu = (rs: Run[]) => med(rs, (x) => x.cpuUs)
  s.headlines.push({
    metric:
      'workerd CPU per request: bare · bezzie + memory store · `@hono/oidc-auth` · bezzie + KV (demo pattern)',
    value: `${cpu(bare).toFixed(0)} · ${cpu(mem).toFixed(0)} · ${cpu(oidc).toFixed(0)} · ${cpu(kv).toFixed(0)} µs; above bare, paired per round: bezzie ${extra(mem)}, @hono/oidc-auth ${extra(oidc)}`,
  })
  s.headlines.push({
    metric:
      'workerd CPU above bare: one KV get (miss · hit on a session-sized value) · bezzie + memory · bezzie + KV',
    value: `${extra(kvMiss)} · ${extra(kvHit)} · ${extra(mem)} · ${extra(kv)}`,
  })
  s.headlines.push({
    metric: 'workerd throughput: bezzie + KV vs bare route (req/s ratio; p99)',
    value: `${ratio(ratioTo(kv))}; p99 ${med(kv, (x) => x.p99).toFixed(0)} vs ${med(bare, (x) => x.p99).toFixed(0)} ms`,
  })
  const bad = routes.reduce(
    (a, r, i) =>
      a + (r.authenticated ? (runs[i] as Run[]).reduce((b, x) => b + x.non2xx + x.errors, 0) : 0),
    0,
  )
  if (bad > 0) {
    s.status = 'partial'
    s.reason = `${bad} authenticated requests were not 2xx or failed: those routes' numbers include error responses`
  }
  s.data = { routes: routes.map((r) => r.path), runs, idpCalls, sessionBytes }
  return s
}

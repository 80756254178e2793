import autocannon from 'autocannon'
import type { BenchContext } from '../lib/context.ts'
import { ratio } from '../lib/format.ts'
import { type Section, section } from '../lib/report.ts'
import { median } from '../lib/stats.ts'
import { httpLogin } from './http-flow.ts'
import type { WorkerdEnv } from './workerd-env.ts'

interface Run {
  scenario: 'bare' | 'auth'
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
}

/**
 * Throughput through workerd: `wrangler dev` serving bench/worker (createBezzie per request, KV
 * store as Miniflare simulates it), autocannon on loopback, authenticated and bare routes
 * alternating in equal slices.
 */
export async function throughputSection(ctx: BenchContext, env: WorkerdEnv): Promise<Section> {
  const s = section('throughput', 'Throughput through workerd (wrangler dev)')
  const rounds = ctx.quick ? 1 : 3
  const seconds = ctx.quick ? 2 : 5
  const connections = 10
  s.method =
    `\`wrangler dev\` (local workerd) serving bench/worker: \`GET /api/user\` behind \`auth.middleware()\` (createBezzie per request, \`cloudflareKVAdapter\` on Miniflare's local KV) and \`GET /bare\` with the same JSON, in the same Worker. ` +
    `autocannon on loopback, ${connections} connections, ${seconds} s slices, ${rounds} round(s) alternating bare/auth after a warm-up of each; ratio = median over rounds of auth/bare. ` +
    'autocannon and workerd share the same 2 cores, so absolute req/s understate a real deployment.'
  const { idp, origin } = env
  {
    const cookie = await httpLogin(`${origin}/auth`, `${origin}/api/user`)
    const hit = (scenario: Run['scenario'], duration: number) =>
      autocannon({
        url: `${origin}${scenario === 'auth' ? '/api/user' : '/bare'}`,
        connections,
        duration,
        headers: { cookie },
      })
    await hit('bare', 1)
    await hit('auth', 1)
    idp.resetCounts()
    const runs: Run[] = []
    for (let r = 0; r < rounds; r++) {
      const order: Run['scenario'][] = r % 2 === 0 ? ['bare', 'auth'] : ['auth', 'bare']
      for (const scenario of order) {
        const res = await hit(scenario, seconds)
        runs.push({
          scenario,
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
    const of = (sc: Run['scenario']) => runs.filter((r) => r.scenario === sc)
    const bare = of('bare')
    const auth = of('auth')
    const ratios = auth.map((a, i) => a.rps / (bare[i] as Run).rps)
    const rpsRatio = median(ratios)
    const row = (name: string, rs: Run[]) => [
      name,
      median(rs.map((r) => r.rps)).toFixed(0),
      `${median(rs.map((r) => r.p50)).toFixed(1)} ms`,
      `${median(rs.map((r) => r.p99)).toFixed(1)} ms`,
      rs.reduce((a, r) => a + r.non2xx, 0),
      rs.reduce((a, r) => a + r.errors, 0),
    ]
    s.tables.push({
      columns: ['Route', 'req/s (median of rounds)', 'p50', 'p99', 'non-2xx', 'errors'],
      rows: [row('`/bare` (no auth)', bare), row('`/api/user` (bezzie, KV)', auth)],
    })
    s.notes.push(
      `Throughput ratio auth/bare per round: ${ratios.map((x) => ratio(x)).join(', ')}.`,
      `IdP requests during the measured slices: ${idpCalls} (the session came from one real login through the Worker before).`,
    )
    const medAuth = median(auth.map((r) => r.rps))
    const medBare = median(bare.map((r) => r.rps))
    s.headlines.push({
      metric: 'workerd throughput, `/api/user` vs bare route',
      value: `${medAuth.toFixed(0)} vs ${medBare.toFixed(0)} req/s (${ratio(rpsRatio)}); p99 ${median(auth.map((r) => r.p99)).toFixed(1)} vs ${median(bare.map((r) => r.p99)).toFixed(1)} ms`,
    })
    const bad = auth.reduce((a, r) => a + r.non2xx + r.errors, 0)
    if (bad > 0) {
      s.status = 'partial'
      s.reason = `${bad} authenticated requests were not 2xx or failed: the auth numbers include error responses`
    }
    s.data = { runs, ratios, idpCalls }
    return s
  }
}

import { bezzieApp, bezzieLogin, loadBezzie } from '../lib/bezzie-app.ts'
import type { BenchContext } from '../lib/context.ts'
import { CountingAdapter, reads, writes } from '../lib/counting-adapter.ts'
import { APP_ORIGIN, startBenchIdp } from '../lib/idp.ts'
import { type Section, section } from '../lib/report.ts'

const total = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .filter(([k]) => !k.startsWith('grant:'))
    .reduce((a, [, v]) => a + v, 0)

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3))

/**
 * IdP and store traffic of a steady-state authenticated request, counted at the real IdP and by a
 * counting wrapper around the memory store, for `createBezzie` once per isolate and per request.
 */
export async function trafficSection(ctx: BenchContext): Promise<Section> {
  const s = section('traffic', 'IdP and store traffic per authenticated request')
  const requests = ctx.quick ? 200 : 2000
  s.method =
    `After a real login, ${requests} sequential \`GET /api/user\` requests with the session cookie; IdP requests counted by \`@bezzie/idp\` ` +
    '(every endpoint), store operations by a counting wrapper around `MemoryAdapter` (same capabilities as the store it wraps). ' +
    'The first request after login is reported separately; the steady state is every request after it.'
  const bz = await loadBezzie()
  const idp = await startBenchIdp({ accessTokenTtl: 3600 })
  try {
    const rows: (string | number)[][] = []
    const data: Record<string, unknown> = {}
    const summary: string[] = []
    const patterns = [
      { label: 'createBezzie once per isolate', perRequest: false, validateAccessToken: false },
      { label: 'createBezzie per request', perRequest: true, validateAccessToken: false },
      {
        label: 'createBezzie per request + validateAccessToken',
        perRequest: true,
        validateAccessToken: true,
      },
    ]
    for (const { label, perRequest, validateAccessToken } of patterns) {
      const store = new CountingAdapter(new bz.MemoryAdapter())
      const app = bezzieApp(bz, {
        issuer: idp.issuer,
        adapter: store.adapter,
        perRequest,
        validateAccessToken,
      })
      const cookie = await bezzieLogin(app)
      store.take()
      idp.resetCounts()
      const first = await app.request(`${APP_ORIGIN}/api/user`, { headers: { cookie } })
      if (first.status !== 200) throw new Error(`${label}: first request answered ${first.status}`)
      const firstStore = store.take()
      const firstIdp = total(idp.counts)
      idp.resetCounts()
      let failed = 0
      for (let i = 0; i < requests; i++) {
        const res = await app.request(`${APP_ORIGIN}/api/user`, { headers: { cookie } })
        if (res.status !== 200) failed++
        await res.arrayBuffer()
      }
      const st = store.take()
      const idpCalls = total(idp.counts)
      const perReq = {
        idp: idpCalls / requests,
        reads: reads(st) / requests,
        writes: writes(st) / requests,
      }
      data[label] = {
        first: { store: firstStore, idp: firstIdp },
        steady: { store: st, idp: { ...idp.counts } },
        failed,
        requests,
      }
      rows.push([
        label,
        `${firstIdp} / ${reads(firstStore)} / ${writes(firstStore)}`,
        fmt(perReq.idp),
        fmt(perReq.reads),
        fmt(perReq.writes),
        failed,
      ])
      const met = (name: string, target: number, actual: number) =>
        s.targets.push({
          metric: `${name} per steady-state request (${label})`,
          target: String(target),
          actual: fmt(actual),
          met: actual === target,
          ...(actual === target ? {} : { why: `off by ${fmt(actual - target)} per request` }),
        })
      met('IdP calls', 0, perReq.idp)
      met('Store reads', 1, perReq.reads)
      met('Store writes', 0, perReq.writes)
      summary.push(`${fmt(perReq.idp)} / ${fmt(perReq.reads)} / ${fmt(perReq.writes)}`)
    }
    s.headlines.push({
      metric:
        'IdP calls / store reads / store writes per authenticated request (memory store; createBezzie once · per request · per request + validateAccessToken)',
      value: summary.join(' · '),
      target: '0 / 1 / 0',
    })
    s.tables.push({
      columns: [
        'Pattern',
        'First request: IdP / reads / writes',
        'IdP calls / req',
        'Store reads / req',
        'Store writes / req',
        'Non-200',
      ],
      rows,
    })
    s.notes.push(
      'Discovery metadata and the JWKS are cached per isolate (module level, keyed by issuer), so a new `createBezzie` per request costs no IdP call once the isolate has served one login or refresh.',
      'The sliding idle expiry is written back at most once per `touchIntervalSeconds` (default 300 s) per session, so a user clicking continuously costs one store write per 5 minutes, not one per request; the run above is shorter than that.',
    )
    s.data = data
    return s
  } finally {
    await idp.stop()
  }
}

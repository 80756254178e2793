import type { BenchContext } from '../lib/context.ts'
import { type Section, section, type Target } from '../lib/report.ts'
import { COLD_SESSIONS } from '../overhead/overhead-section.ts'
import { formatSpread, type Spread, spread } from '../overhead/spread.ts'

export interface Route {
  id: string
  name: string
  path: string
  /** The session cookie sent with every request of the loop (unless `cold`). */
  cookie?: string
  /** Cycle through this variant's cold sessions instead. */
  cold?: string
}

/** One `wrangler dev` instance's measurements. */
export interface CpuRun {
  routes: Route[]
  /** Requests per sample (`n`), per route id. */
  sizes: Map<string, number>
  /** CPU µs per request: `cpu[route][round]`. */
  cpu: number[][]
  /** IdP requests during the measured loops (anything but the setup's refresh grants). */
  idpCalls: number
}

/**
 * Many short rounds rather than a few long ones: the noise on a shared machine comes in bursts
 * shorter than a second, and pairing routes within a round only cancels it when they run close
 * together.
 */
export const roundsFor = (ctx: BenchContext) => (ctx.quick ? 6 : 24)
/** CPU (in ms) one sample is sized to cost. */
export const targetMsFor = (ctx: BenchContext) => (ctx.quick ? 100 : 200)
/**
 * Fresh `wrangler dev` instances the section measures in. One instance's figures move with its
 * JIT and memory layout (single runs of the same code gave cold × floor 1.90 and 2.02), so the
 * section reports the median of several.
 */
export const instancesFor = (ctx: BenchContext) => (ctx.quick ? 1 : 3)

const us = (n: number) => n.toFixed(1)
const x = (n: number) => n.toFixed(2)

/** Builds the section from one or more instances' runs (see {@link instancesFor}). */
export function workerdCpuReport(ctx: BenchContext, runs: CpuRun[]): Section {
  const s = section('workerd-cpu', 'CPU per request inside workerd (loop route)')
  const rounds = roundsFor(ctx)
  const { routes } = runs[0] as CpuRun
  const several = runs.length > 1
  s.method =
    '`wrangler dev` (local workerd) serving bench/worker. `GET /__bench/loop?path=…&n=…` runs `n` requests through the Worker’s own Hono app inside the isolate (`app.fetch`, body read, every answer checked to be a 200); the bench reads the CPU time the workerd processes used around that one HTTP request from /proc (the scheduler’s per-thread time, to the nanosecond) and divides by `n`. ' +
    `\`n\` is chosen per route so one sample costs about ${targetMsFor(ctx)} ms of CPU. ` +
    `${rounds} rounds, rotating which route goes first; ratios are paired per round (route ÷ bare, route ÷ floor in the same round) and summarised by their median. ` +
    (several
      ? `All of that in ${runs.length} fresh \`wrangler dev\` instances one after another (new workerd, new isolate, new sessions): the figures are the median of the instances’ medians, with the lowest–highest instance in brackets; the per-instance table gives each instance’s median with its lowest–highest round. `
      : 'One instance (quick run): brackets give the lowest–highest round. ') +
    'bezzie runs in the demo’s pattern (`createBezzie` per request) on an isolate-level `MemoryAdapter`, so the numbers are bezzie’s own CPU, not Miniflare’s simulated KV (the throughput section keeps that control). ' +
    `The cold rows cycle through ${COLD_SESSIONS} real sessions per configuration (each with its own access token from a real refresh grant; the \`validateAccessToken\` ones refreshed by bezzie itself, so their records carry its mark of the verified token, as in production), more than any of bezzie’s caches holds.`

  const index = (id: string) => routes.findIndex((r) => r.id === id)
  /** Route i ÷ route j, paired per round, in one run. */
  const pairedIn = (run: CpuRun, i: number, j: number): Spread =>
    spread((run.cpu[i] as number[]).map((v, k) => v / ((run.cpu[j] as number[])[k] as number)))
  /** Across the runs: the median of their medians (one run: its rounds). */
  const across = (per: (run: CpuRun) => Spread): Spread =>
    several ? spread(runs.map((run) => per(run).median)) : per(runs[0] as CpuRun)
  const paired = (i: number, j: number) => across((run) => pairedIn(run, i, j))
  const cpuOf = (i: number) => across((run) => spread(run.cpu[i] as number[]))
  const shown = several ? runs.length : rounds
  const ai = index('a')
  const fi = index('f')
  const ci = index('c')

  s.tables.push({
    columns: [
      'Route',
      'n per sample',
      'CPU µs / request',
      '× bare (a)',
      '× floor (f)',
      '@hono/oidc-auth ÷ this',
    ],
    rows: routes.map((r, i) => [
      r.name,
      runs.map((run) => run.sizes.get(r.id)).join(' · '),
      formatSpread(cpuOf(i), us, shown),
      formatSpread(paired(i, ai), x, shown),
      formatSpread(paired(i, fi), x, shown),
      i === ci ? '—' : formatSpread(paired(ci, i), x, shown),
    ]),
  })
  if (several) {
    s.tables.push({
      caption: '× floor (f) in each instance: median (lowest–highest round)',
      columns: ['Route', ...runs.map((_, k) => `instance ${k + 1}`)],
      rows: routes.map((r, i) => [
        r.name,
        ...runs.map((run) => formatSpread(pairedIn(run, i, fi), x, rounds)),
      ]),
    })
  }
  const target = (metric: string, value: Spread, limit: number, atMost = true): Target => {
    const met = atMost ? value.median <= limit : value.median >= limit
    return {
      metric,
      target: `${atMost ? '≤' : '≥'} ${limit}×`,
      actual: formatSpread(value, (n) => `${x(n)}×`, shown),
      met,
      ...(met
        ? {}
        : {
            why: several
              ? `median over ${runs.length} instances of the median paired CPU ratio`
              : 'median over rounds of the paired CPU ratio',
          }),
    }
  }
  const of = index
  const dCold = paired(of('d cold'), fi)
  s.targets.push(
    target('workerd, repeat request, plain: × bare', paired(of('b'), ai), 2),
    target('workerd, repeat request, plain: × floor', paired(of('b'), fi), 1.25),
    target('workerd, repeat request, `secret`: × bare', paired(of('e'), ai), 2),
    target('workerd, repeat request, `secret`: × floor', paired(of('e'), fi), 1.25),
    target('workerd, repeat request, `validateAccessToken`: × bare', paired(of('d'), ai), 2),
    target('workerd, repeat request, `validateAccessToken`: × floor', paired(of('d'), fi), 1.25),
    target('workerd, cold, plain: × floor', paired(of('b cold'), fi), 2),
    target('workerd, cold, `secret`: × floor', paired(of('e cold'), fi), 2),
    {
      ...target('workerd, cold, `validateAccessToken`: × floor', dCold, 2),
      ...(dCold.median > 2
        ? {
            why: `the cold floor plus one RS256 verification (f cold + verify) alone is ${x(paired(of('f cold verify'), fi).median)}× the floor, and bezzie's cold row is ${x(paired(of('d cold'), of('f cold verify')).median)}× that`,
          }
        : {}),
    },
    target('workerd: @hono/oidc-auth CPU ÷ bezzie CPU (plain)', paired(ci, of('b')), 5, false),
  )
  const med = (id: string) => cpuOf(index(id)).median
  const ratios = (ids: string[], j: number) =>
    ids.map((id) => `${x(paired(of(id), j).median)}×`).join(' · ')
  s.headlines.push(
    {
      metric:
        'workerd CPU per request (in-isolate loop): bare · floor · bezzie · `secret` · `validateAccessToken`',
      value: `${['a', 'f', 'b', 'e', 'd'].map((id) => us(med(id))).join(' · ')} µs`,
    },
    {
      metric: 'workerd, repeat request × floor: bezzie · `secret` · `validateAccessToken`',
      value: ratios(['b', 'e', 'd'], fi),
      target: '≤ 1.25×',
    },
    {
      metric: 'workerd, cold floors × floor: (f cold) · (f cold + one RS256 verification)',
      value: ratios(['f cold', 'f cold verify'], fi),
    },
    {
      metric: 'workerd, cold (cache miss) × floor: bezzie · `secret` · `validateAccessToken`',
      value: ratios(['b cold', 'e cold', 'd cold'], fi),
      target: '≤ 2×',
    },
    {
      metric: 'workerd: `@hono/oidc-auth` CPU per request, and ÷ bezzie',
      value: `${us(med('c'))} µs; ${x(paired(ci, of('b')).median)}× bezzie`,
      target: '≥ 5×',
    },
  )
  s.notes.push(
    'workerd runs Web Crypto on the request’s own thread, so there is no pinned/unpinned distinction here.',
    `IdP requests during the measured loops: ${runs.map((run) => run.idpCalls).join(' · ')}${several ? ' (per instance)' : ''}.`,
    'The fixed cost of the one HTTP request per sample (Miniflare’s proxy, about a millisecond of CPU) is spread over `n` requests: under 1 µs per request at the `n` used.',
  )
  s.data = {
    routes: routes.map((r) => r.id),
    instances: runs.map((run) => ({ sizes: Object.fromEntries(run.sizes), cpu: run.cpu })),
  }
  return s
}

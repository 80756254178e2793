import type { BenchContext } from '../lib/context.ts'
import { type Section, section, type Target } from '../lib/report.ts'
import { median } from '../lib/stats.ts'
import { realSessions } from '../lib/token-sets.ts'
import { COLD_SESSIONS } from '../overhead/overhead-section.ts'
import { formatSpread, type Spread, spread } from '../overhead/spread.ts'
import { httpLogin, oidcAuthHttpLogin } from './http-flow.ts'
import type { WorkerdEnv } from './workerd-env.ts'

interface Route {
  id: string
  name: string
  path: string
  /** The session cookie sent with every request of the loop (unless `cold`). */
  cookie?: string
  /** Cycle through this variant's cold sessions instead. */
  cold?: string
}

/**
 * CPU per request inside workerd: each sample is ONE HTTP request to the Worker's loop route,
 * which runs `n` requests through the same Hono app in the isolate; the workerd processes' CPU time
 * (from /proc) around it, divided by `n`. Miniflare's proxy and HTTP parsing are paid once per
 * sample instead of once per request, so what remains is the route's own work.
 */
export async function workerdCpuSection(ctx: BenchContext, env: WorkerdEnv): Promise<Section> {
  const s = section('workerd-cpu', 'CPU per request inside workerd (loop route)')
  const { idp, origin, worker } = env
  // Many short rounds rather than a few long ones: the noise on a shared machine comes in bursts
  // shorter than a second, and pairing routes within a round only cancels it when they run close
  // together; the median of many paired ratios is then steady from run to run.
  const rounds = ctx.quick ? 6 : 24
  const targetMs = ctx.quick ? 100 : 200
  s.method =
    '`wrangler dev` (local workerd) serving bench/worker. `GET /__bench/loop?path=…&n=…` runs `n` requests through the Worker’s own Hono app inside the isolate (`app.fetch`, body read, every answer checked to be a 200); the bench reads the CPU time the workerd processes used around that one HTTP request from /proc (the scheduler’s per-thread time, to the nanosecond) and divides by `n`. ' +
    `\`n\` is chosen per route so one sample costs about ${targetMs} ms of CPU. ` +
    `${rounds} rounds, rotating which route goes first; ratios are paired per round (route ÷ bare, route ÷ floor in the same round), reported as median with the lowest–highest round in brackets. ` +
    'bezzie runs in the demo’s pattern (`createBezzie` per request) on an isolate-level `MemoryAdapter`, so the numbers are bezzie’s own CPU, not Miniflare’s simulated KV (the throughput section keeps that control). ' +
    `The cold rows cycle through ${COLD_SESSIONS} real sessions per configuration (each with its own access token from a real refresh grant; the \`validateAccessToken\` ones refreshed by bezzie itself, so their records carry its mark of the verified token, as in production), more than any of bezzie’s caches holds.`

  const memCookie = await httpLogin(`${origin}/mem/auth`, `${origin}/mem/api/user`)
  const secretCookie = await httpLogin(`${origin}/mem-secret/auth`, `${origin}/mem-secret/api/user`)
  const validateCookie = await httpLogin(
    `${origin}/mem-validate/auth`,
    `${origin}/mem-validate/api/user`,
  )
  const oidcCookie = await oidcAuthHttpLogin(`${origin}/oidc/api/user`)
  const real = await realSessions(idp.issuer, origin, COLD_SESSIONS)
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`)
    return res.json()
  }
  const memId = memCookie.split('=')[1] as string
  await post('/__bench/seed-floor', { id: memId, record: real.storedRecord })
  for (const variant of ['mem', 'mem-secret']) {
    await post(`/__bench/cold/${variant}`, real.sessions)
  }
  // validateAccessToken: bezzie refreshes each cold session itself (a real grant), so the records
  // carry what bezzie writes after a refresh: the mark of the new token's verification.
  const grants = idp.counts['grant:refresh_token'] ?? 0
  const validate = (await post('/__bench/cold/mem-validate?refresh=1', real.sessions)) as {
    count: number
    refreshed: number
  }
  const granted = (idp.counts['grant:refresh_token'] ?? 0) - grants
  if (validate.refreshed !== validate.count || granted < validate.count) {
    throw new Error(
      `the cold validateAccessToken sessions were not all refreshed by bezzie: ${validate.refreshed} of ${validate.count} answered 200, ${granted} refresh grants`,
    )
  }
  await post('/__bench/cold-floor', {})

  const routes: Route[] = [
    { id: 'a', name: '(a) `/bare` (no auth)', path: '/bare', cookie: memCookie },
    {
      id: 'f',
      name: '(f) floor: getCookie + one store get + JSON.parse of the real record + c.set',
      path: '/floor/api/user',
      cookie: memCookie,
    },
    { id: 'b', name: '(b) bezzie', path: '/mem/api/user', cookie: memCookie },
    { id: 'e', name: '(e) bezzie + `secret`', path: '/mem-secret/api/user', cookie: secretCookie },
    {
      id: 'd',
      name: '(d) bezzie + `validateAccessToken`',
      path: '/mem-validate/api/user',
      cookie: validateCookie,
    },
    { id: 'c', name: '(c) `@hono/oidc-auth`', path: '/oidc/api/user', cookie: oidcCookie },
    {
      id: 'f cold',
      name: `(f cold) floor over the ${COLD_SESSIONS} records of (b cold), same cookies`,
      path: '/floor/api/user',
      cold: 'floor',
    },
    {
      id: 'f cold verify',
      name: '(f cold + verify) the same plus one Web Crypto RS256 verification of the record’s access token (key imported once)',
      path: '/floor-verify/api/user',
      cold: 'floor',
    },
    { id: 'b cold', name: '(b cold) bezzie, cache miss', path: '/mem/api/user', cold: 'mem' },
    {
      id: 'e cold',
      name: '(e cold) bezzie + `secret`, cache miss',
      path: '/mem-secret/api/user',
      cold: 'mem-secret',
    },
    {
      id: 'd cold',
      name: '(d cold) bezzie + `validateAccessToken`, cache miss',
      path: '/mem-validate/api/user',
      cold: 'mem-validate',
    },
  ]

  /** One sample: CPU µs per request over a loop of `n`. */
  const sample = async (r: Route, n: number): Promise<number> => {
    const query = new URLSearchParams({
      path: r.path,
      n: String(n),
      ...(r.cold ? { cold: r.cold } : {}),
    })
    const cpu0 = worker.cpuMs()
    const res = await fetch(`${origin}/__bench/loop?${query}`, {
      headers: r.cookie ? { 'x-bench-cookie': r.cookie } : {},
    })
    const body = (await res.json()) as { ok?: number; error?: string }
    const cpuMs = worker.cpuMs() - cpu0
    if (!res.ok || body.ok !== n) {
      throw new Error(
        `${r.name}: loop answered ${res.status}, ${body.ok ?? body.error} of ${n} requests were 200`,
      )
    }
    return (cpuMs * 1000) / n
  }
  // Calibrate (and warm up): grow the loop until one sample costs at least 50 ms of CPU (five
  // clock ticks), then size it for about targetMs per sample.
  const sizes = new Map<string, number>()
  for (const r of routes) {
    let n = 250
    let us = await sample(r, n)
    while (us * n < 50_000 && n < 50_000) {
      n *= 2
      us = await sample(r, n)
    }
    sizes.set(r.id, Math.min(100_000, Math.max(n, Math.round((targetMs * 1000) / Math.max(1, us)))))
  }
  idp.resetCounts()
  const cpu = routes.map(() => [] as number[])
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < routes.length; k++) {
      const i = (k + round) % routes.length
      const r = routes[i] as Route
      ;(cpu[i] as number[]).push(await sample(r, sizes.get(r.id) as number))
    }
  }
  const idpCalls = Object.entries(idp.counts)
    .filter(([k]) => !k.startsWith('grant:'))
    .reduce((a, [, v]) => a + v, 0)

  const index = (id: string) => routes.findIndex((r) => r.id === id)
  const paired = (i: number, j: number): Spread =>
    spread((cpu[i] as number[]).map((v, round) => v / ((cpu[j] as number[])[round] as number)))
  const ai = index('a')
  const fi = index('f')
  const ci = index('c')
  const us = (n: number) => n.toFixed(1)
  const x = (n: number) => n.toFixed(2)
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
      sizes.get(r.id) as number,
      formatSpread(spread(cpu[i] as number[]), us, rounds),
      formatSpread(paired(i, ai), x, rounds),
      formatSpread(paired(i, fi), x, rounds),
      i === ci ? '—' : formatSpread(paired(ci, i), x, rounds),
    ]),
  })
  const target = (metric: string, value: Spread, limit: number, atMost = true): Target => {
    const met = atMost ? value.median <= limit : value.median >= limit
    return {
      metric,
      target: `${atMost ? '≤' : '≥'} ${limit}×`,
      actual: formatSpread(value, (n) => `${x(n)}×`, rounds),
      met,
      ...(met ? {} : { why: 'median over rounds of the paired CPU ratio' }),
    }
  }
  const of = (id: string) => index(id)
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
      ...target('workerd, cold, `validateAccessToken`: × floor', paired(of('d cold'), fi), 2),
      ...(paired(of('d cold'), fi).median > 2
        ? {
            why: `median over rounds of the paired CPU ratio; the cold floor plus one RS256 verification (f cold + verify) alone is ${x(paired(of('f cold verify'), fi).median)}× the floor, and bezzie's cold row is ${x(paired(of('d cold'), of('f cold verify')).median)}× that`,
          }
        : {}),
    },
    target('workerd: @hono/oidc-auth CPU ÷ bezzie CPU (plain)', paired(ci, of('b')), 5, false),
  )
  const med = (id: string) => median(cpu[index(id)] as number[])
  s.headlines.push(
    {
      metric:
        'workerd CPU per request (in-isolate loop): bare · floor · bezzie · `secret` · `validateAccessToken`',
      value: `${['a', 'f', 'b', 'e', 'd'].map((id) => us(med(id))).join(' · ')} µs`,
    },
    {
      metric: 'workerd, repeat request × floor: bezzie · `secret` · `validateAccessToken`',
      value: ['b', 'e', 'd'].map((id) => `${x(paired(of(id), fi).median)}×`).join(' · '),
      target: '≤ 1.25×',
    },
    {
      metric: 'workerd, cold floors × floor: (f cold) · (f cold + one RS256 verification)',
      value: ['f cold', 'f cold verify']
        .map((id) => `${x(paired(of(id), fi).median)}×`)
        .join(' · '),
    },
    {
      metric: 'workerd, cold (cache miss) × floor: bezzie · `secret` · `validateAccessToken`',
      value: ['b cold', 'e cold', 'd cold']
        .map((id) => `${x(paired(of(id), fi).median)}×`)
        .join(' · '),
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
    `IdP requests during the measured loops: ${idpCalls}.`,
    'The fixed cost of the one HTTP request per sample (Miniflare’s proxy, about a millisecond of CPU) is spread over `n` requests: under 1 µs per request at the `n` used.',
  )
  s.data = { routes: routes.map((r) => r.id), sizes: Object.fromEntries(sizes), cpu }
  return s
}

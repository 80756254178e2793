import type { BenchContext } from '../lib/context.ts'
import type { Section } from '../lib/report.ts'
import { realSessions } from '../lib/token-sets.ts'
import { COLD_SESSIONS } from '../overhead/overhead-section.ts'
import {
  type CpuRun,
  instancesFor,
  type Route,
  roundsFor,
  targetMsFor,
  workerdCpuReport,
} from './cpu-report.ts'
import { httpLogin, oidcAuthHttpLogin } from './http-flow.ts'
import { startWorkerdEnv, type WorkerdEnv } from './workerd-env.ts'

/**
 * CPU per request inside workerd: each sample is ONE HTTP request to the Worker's loop route,
 * which runs `n` requests through the same Hono app in the isolate; the workerd processes' CPU time
 * (from /proc) around it, divided by `n`. Miniflare's proxy and HTTP parsing are paid once per
 * sample instead of once per request, so what remains is the route's own work. Measured in
 * {@link instancesFor} fresh `wrangler dev` instances: `env`'s, then new ones.
 */
export async function workerdCpuSection(ctx: BenchContext, env: WorkerdEnv): Promise<Section> {
  const instances = instancesFor(ctx)
  const runs = [await measureWorkerdCpu(ctx, env)]
  for (let k = 1; k < instances; k++) {
    ctx.log(`  instance ${k + 1} of ${instances}: a fresh wrangler dev`)
    const fresh = await startWorkerdEnv()
    try {
      runs.push(await measureWorkerdCpu(ctx, fresh))
    } finally {
      await fresh.stop()
    }
  }
  return workerdCpuReport(ctx, runs)
}

/** One instance: logs in, seeds the cold sessions, calibrates `n`, then the paired rounds. */
async function measureWorkerdCpu(ctx: BenchContext, env: WorkerdEnv): Promise<CpuRun> {
  const { idp, origin, worker } = env
  const rounds = roundsFor(ctx)
  const targetMs = targetMsFor(ctx)

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
  return { routes, sizes, cpu, idpCalls }
}

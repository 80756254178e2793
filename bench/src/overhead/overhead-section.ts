import type { Hono } from 'hono'
import { bezzieApp, bezzieLogin, loadBezzie } from '../lib/bezzie-app.ts'
import type { BenchContext } from '../lib/context.ts'
import { micros, ratio } from '../lib/format.ts'
import { APP_ORIGIN, startBenchIdp } from '../lib/idp.ts'
import { compare, type Scenario } from '../lib/measure.ts'
import { type Section, section } from '../lib/report.ts'
import { bareApp } from './bare-app.ts'
import { oidcAuthApp, oidcAuthLogin } from './oidc-auth-app.ts'

interface Contender {
  name: string
  app: Hono
  cookie: string
}

const URL_USER = `${APP_ORIGIN}/api/user`

async function once(c: Contender): Promise<Response> {
  return c.app.request(URL_USER, { headers: { cookie: c.cookie } })
}

/** Fails loudly unless the contender answers 200 with alice's identity: no timing of error paths. */
async function assertAuthenticated(c: Contender): Promise<void> {
  const res = await once(c)
  const body = await res.text()
  if (res.status !== 200 || !body.includes('"sub":"alice"')) {
    throw new Error(`${c.name}: expected 200 with alice, got ${res.status} ${body.slice(0, 200)}`)
  }
}

/** Per-request overhead in-process: the same authenticated GET through each stack. */
export async function overheadSection(ctx: BenchContext): Promise<Section> {
  const s = section('overhead', 'Per-request overhead (in-process, Node)')
  s.method =
    'One `GET /api/user` with the session cookie through `app.request()` (no network), response body read. ' +
    'Scenarios run interleaved in rounds of 200 requests each until every median settles (±1 % over 6 rounds) or the time cap; ' +
    'ratio = median over rounds of (scenario round median / bare round median). Sessions come from real logins against `@bezzie/idp`.'
  const idp = await startBenchIdp({ accessTokenTtl: 3600 })
  try {
    const contenders: Contender[] = [
      { name: '(a) bare Hono handler', app: bareApp(), cookie: 'session=none' },
    ]
    const oidc = oidcAuthApp(idp.issuer)
    const oidcCookie = await oidcAuthLogin(oidc)
    let bezzieMissing: string | undefined
    try {
      const bz = await loadBezzie()
      const adapter = new bz.MemoryAdapter()
      const once = bezzieApp(bz, { issuer: idp.issuer, adapter })
      const cookie = await bezzieLogin(once)
      contenders.push({ name: '(b) bezzie middleware, memory store', app: once, cookie })
      contenders.push({
        name: '(b′) bezzie, createBezzie per request',
        app: bezzieApp(bz, { issuer: idp.issuer, adapter, perRequest: true }),
        cookie,
      })
      contenders.push({ name: '(c) @hono/oidc-auth', app: oidc, cookie: oidcCookie })
      contenders.push({
        name: '(d) bezzie + validateAccessToken',
        app: bezzieApp(bz, { issuer: idp.issuer, adapter, validateAccessToken: true }),
        cookie,
      })
    } catch (err) {
      bezzieMissing = (err as Error).message
      contenders.push({ name: '(c) @hono/oidc-auth', app: oidc, cookie: oidcCookie })
    }
    for (const c of contenders) await assertAuthenticated(c)
    idp.resetCounts()

    const scenarios: Scenario[] = contenders.map((c) => ({
      name: c.name,
      op: async () => {
        const res = await once(c)
        await res.arrayBuffer()
      },
    }))
    const result = await compare(
      scenarios,
      ctx.quick
        ? { warmupMs: 200, minRounds: 6, maxMs: 3_000 }
        : { warmupMs: 1_000, minRounds: 60, maxMs: 40_000 },
    )
    for (const c of contenders) await assertAuthenticated(c)
    const idpCalls = Object.values(idp.counts).reduce((a, b) => a + b, 0)

    s.tables.push({
      columns: ['Scenario', 'median', 'p99', 'mean', 'ratio to (a)', 'samples'],
      rows: result.results.map((r) => [
        r.name,
        micros(r.medianNs),
        micros(r.p99Ns),
        micros(r.meanNs),
        ratio(r.ratio),
        r.samples,
      ]),
    })
    s.notes.push(
      `${result.rounds} rounds in ${(result.elapsedMs / 1000).toFixed(1)} s; medians ${result.stable ? 'settled within ±1 %' : 'had not settled within ±1 % when the time cap hit'}.`,
      '(c) @hono/oidc-auth keeps the whole session in an HS256-signed JWT cookie (no store read); its session came from driving its own login flow (redirect, IdP login form, callback, code exchange) against the real IdP once.',
      `IdP requests during the timed phase (all scenarios): ${idpCalls}.`,
    )
    const by = (prefix: string) => result.results.find((r) => r.name.startsWith(prefix))
    const b = by('(b)')
    const c = by('(c)')
    const d = by('(d)')
    const a = by('(a)')
    if (a)
      s.headlines.push({
        metric: 'In-process GET: bare Hono, median (p99)',
        value: `${micros(a.medianNs)} (${micros(a.p99Ns)})`,
      })
    if (b)
      s.headlines.push({
        metric: 'In-process GET: bezzie middleware + memory store',
        value: `${micros(b.medianNs)} (${micros(b.p99Ns)}), ${ratio(b.ratio)} bare`,
      })
    if (d)
      s.headlines.push({
        metric: 'In-process GET: bezzie + `validateAccessToken`',
        value: `${micros(d.medianNs)} (${micros(d.p99Ns)}), ${ratio(d.ratio)} bare`,
      })
    if (c)
      s.headlines.push({
        metric: 'In-process GET: `@hono/oidc-auth`',
        value: `${micros(c.medianNs)} (${micros(c.p99Ns)}), ${ratio(c.ratio)} bare`,
      })
    if (bezzieMissing) {
      s.status = 'partial'
      s.reason = `bezzie scenarios (b), (d) not run: ${bezzieMissing}`
    }
    s.data = result
    return s
  } finally {
    await idp.stop()
  }
}

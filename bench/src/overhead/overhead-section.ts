import type { AppLike } from '../lib/app-like.ts'
import { BENCH_SECRET, bezzieApp, bezzieLogin, loadBezzie } from '../lib/bezzie-app.ts'
import type { BenchContext } from '../lib/context.ts'
import { micros, ratio } from '../lib/format.ts'
import { APP_ORIGIN, startBenchIdp } from '../lib/idp.ts'
import { compare, pairedRatio, type Scenario } from '../lib/measure.ts'
import { pinToOneCore } from '../lib/pin.ts'
import { type Section, section } from '../lib/report.ts'
import { bareApp } from './bare-app.ts'
import { oidcAuthApp, oidcAuthLogin } from './oidc-auth-app.ts'

interface Contender {
  name: string
  app: AppLike
  cookie: string
}

const URL_USER = `${APP_ORIGIN}/api/user`

async function getUser(c: Contender): Promise<Response> {
  return c.app.request(URL_USER, { headers: { cookie: c.cookie } })
}

/** Fails loudly unless the contender answers 200 with alice's identity: no timing of error paths. */
async function assertAuthenticated(c: Contender): Promise<void> {
  const res = await getUser(c)
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
    const oidc = oidcAuthApp(idp.issuer)
    const oidcCookie = await oidcAuthLogin(oidc)
    // The baseline gets a real session cookie too (it ignores it), so every request is the same size.
    const bare: Contender = { name: '(a) bare Hono handler', app: bareApp(), cookie: oidcCookie }
    const contenders: Contender[] = [bare]
    let bezzieMissing: string | undefined
    try {
      const bz = await loadBezzie()
      const adapter = new bz.MemoryAdapter()
      const shared = bezzieApp(bz, { issuer: idp.issuer, adapter })
      const cookie = await bezzieLogin(shared)
      bare.cookie = cookie
      contenders.push({ name: '(b) bezzie middleware, memory store', app: shared, cookie })
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
      // Encrypted records need their own store and login: the plain ones above cannot be read with a secret.
      const encrypted = bezzieApp(bz, {
        issuer: idp.issuer,
        adapter: new bz.MemoryAdapter(),
        secret: BENCH_SECRET,
      })
      contenders.push({
        name: '(e) bezzie + `secret` (records encrypted at rest)',
        app: encrypted,
        cookie: await bezzieLogin(encrypted),
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
        const res = await getUser(c)
        await res.arrayBuffer()
      },
    }))
    const unpin = pinToOneCore()
    const result = await compare(
      scenarios,
      ctx.quick
        ? { warmupMs: 200, minRounds: 6, maxMs: 3_000 }
        : { warmupMs: 1_000, minRounds: 60, maxMs: 40_000 },
    ).finally(() => unpin?.())
    s.notes.push(
      unpin
        ? 'The timed phase ran pinned to one core (`taskset`, every thread): Node hands Web Crypto to libuv’s thread pool, and on this VM a hand-off to the other core costs about twice as much and flips between runs; on one core the numbers are steady.'
        : 'The timed phase could not be pinned to one core (no `taskset`): crypto-bound scenarios may jump between two levels from run to run.',
    )
    for (const c of contenders) await assertAuthenticated(c)
    const idpCalls = Object.values(idp.counts).reduce((a, b) => a + b, 0)

    s.tables.push({
      columns: [
        'Scenario',
        'median',
        'p99',
        'mean',
        'ratio to (a)',
        'CPU / request',
        'CPU ratio to (a)',
        'samples',
      ],
      rows: result.results.map((r) => [
        r.name,
        micros(r.medianNs),
        micros(r.p99Ns),
        micros(r.meanNs),
        ratio(r.ratio),
        micros(r.cpuNs),
        ratio(r.cpuRatio),
        r.samples,
      ]),
    })
    s.notes.push(
      `${result.rounds} rounds in ${(result.elapsedMs / 1000).toFixed(1)} s; medians ${result.stable ? 'settled within ±1 %' : 'had not settled within ±1 % when the time cap hit'}.`,
      '(c) @hono/oidc-auth keeps the whole session in an HS256-signed JWT cookie (no store read); its session came from driving its own login flow (redirect, IdP login form, callback, code exchange) against the real IdP once.',
      `IdP requests during the timed phase (all scenarios): ${idpCalls}.`,
      'Every authenticated scenario spends most of its time in Web Crypto (bezzie hashes the session id, (e) also decrypts the record with AES-GCM, @hono/oidc-auth checks an HMAC, (d) verifies a JWT signature); the pure-JS baseline has none, so ratios to (a) mostly measure Node’s Web Crypto hand-off. ' +
        'The ratio between authenticated scenarios (bezzie ÷ @hono/oidc-auth) is the comparison that matters; workerd does its crypto on the request’s own thread (see the workerd section).',
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
    const e = by('(e)')
    if (e)
      s.headlines.push({
        metric: 'In-process GET: bezzie + `secret`',
        value: `${micros(e.medianNs)} (${micros(e.p99Ns)}), ${ratio(e.ratio)} bare`,
      })
    if (c)
      s.headlines.push({
        metric: 'In-process GET: `@hono/oidc-auth`',
        value: `${micros(c.medianNs)} (${micros(c.p99Ns)}), ${ratio(c.ratio)} bare`,
      })
    const ib = result.results.findIndex((r) => r.name.startsWith('(b)'))
    const ic = result.results.findIndex((r) => r.name.startsWith('(c)'))
    if (ib >= 0 && ic >= 0) {
      const bc = pairedRatio(result, ib, ic)
      s.headlines.push({
        metric: 'In-process GET: bezzie ÷ `@hono/oidc-auth` (paired per round)',
        value: ratio(bc),
      })
      s.notes.push(
        `bezzie (b) ÷ @hono/oidc-auth (c), median over rounds of the paired ratio: ${ratio(bc)}.`,
      )
    }
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

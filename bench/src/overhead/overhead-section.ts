import type { SessionAdapter } from 'bezzie'
import type { AppLike } from '../lib/app-like.ts'
import { BENCH_SECRET, bezzieApp, bezzieAuth, bezzieLogin, loadBezzie } from '../lib/bezzie-app.ts'
import type { BenchContext } from '../lib/context.ts'
import { APP_ORIGIN, startBenchIdp } from '../lib/idp.ts'
import { type Comparison, compare, pairedRatio, type Scenario } from '../lib/measure.ts'
import { pinToOneCore } from '../lib/pin.ts'
import { type Section, section, type Target } from '../lib/report.ts'
import { median } from '../lib/stats.ts'
import { realSessions } from '../lib/token-sets.ts'
import { bareApp } from './bare-app.ts'
import { floorApp, floorKey } from './floor-app.ts'
import { oidcAuthApp, oidcAuthLogin } from './oidc-auth-app.ts'
import { formatSpread, type Spread, spread } from './spread.ts'

/**
 * Sessions the cold rows cycle through: more than any of bezzie's per-isolate caches holds (1,000
 * decoded records, 1,000 verified tokens), so with first-in-first-out eviction every request of a
 * cold row misses them all.
 */
export const COLD_SESSIONS = 1200

interface Contender {
  id: string
  name: string
  app: AppLike
  /** The `Cookie` header of each request, cycled through (one entry: the same session every time). */
  cookies: string[]
}

const URL_USER = `${APP_ORIGIN}/api/user`

/** Fails loudly unless the contender answers 200 with alice's identity: no timing of error paths. */
async function assertAuthenticated(c: Contender): Promise<void> {
  for (const cookie of [c.cookies[0], c.cookies.at(-1)] as string[]) {
    const res = await c.app.request(URL_USER, { headers: { cookie } })
    const body = await res.text()
    if (res.status !== 200 || !body.includes('"sub":"alice"')) {
      throw new Error(`${c.name}: expected 200 with alice, got ${res.status} ${body.slice(0, 200)}`)
    }
  }
}

type Mode = 'unpinned' | 'pinned'

/** Every run of one mode, with per-scenario spreads across those runs. */
interface ModeResult {
  mode: Mode
  runs: Comparison[]
}

/** Per-request overhead in-process: the same authenticated GET through each stack. */
export async function overheadSection(ctx: BenchContext): Promise<Section> {
  const s = section('overhead', 'Per-request overhead (in-process, Node)')
  const modes: Mode[] = ctx.quick
    ? ['unpinned', 'pinned']
    : ['unpinned', 'pinned', 'unpinned', 'pinned', 'unpinned', 'pinned']
  s.method =
    'One `GET /api/user` with the session cookie through `app.request()` (no network), response body read. ' +
    'Within a run, scenarios are interleaved in rounds of 200 requests (rotating which goes first) until every median settles (±1 % over 6 rounds) or the time cap; a ratio is the median over rounds of (scenario round median ÷ other scenario’s round median in the same round). ' +
    `The whole comparison runs ${modes.length} times, alternating unpinned (the OS schedules freely, as in production) and pinned to one core (\`taskset\`, every thread); each cell is the median over the runs of that mode with the lowest and highest run in brackets. ` +
    'Sessions come from real logins against `@bezzie/idp`; the cold rows cycle through ' +
    `${COLD_SESSIONS} sessions, each with its own access token from a real refresh grant, created with \`auth.sessions.create\` (the \`validateAccessToken\` ones created due and refreshed once by bezzie itself, so their records are what bezzie writes after a refresh, with its mark of the verified token).`
  const idp = await startBenchIdp({ accessTokenTtl: 3600 })
  try {
    const bz = await loadBezzie()
    const oidc = oidcAuthApp(idp.issuer)
    const oidcCookie = await oidcAuthLogin(oidc)
    const real = await realSessions(idp.issuer, APP_ORIGIN, COLD_SESSIONS)

    const adapter = new bz.MemoryAdapter()
    const plain = bezzieApp(bz, { issuer: idp.issuer, adapter })
    const cookie = await bezzieLogin(plain)
    const id = cookie.split('=')[1] as string
    await adapter.set(floorKey(id), real.storedRecord, { ttlSeconds: 3600 })
    // Encrypted records need their own store and login: the plain ones cannot be read with a secret.
    const encrypted = bezzieApp(bz, {
      issuer: idp.issuer,
      adapter: new bz.MemoryAdapter(),
      secret: BENCH_SECRET,
    })
    /**
     * A store holding COLD_SESSIONS real sessions, the app reading them, and each session's
     * stored value as bezzie wrote it (for the cold floor).
     */
    const cold = async (options: { secret?: string; validateAccessToken?: boolean }) => {
      const store = { issuer: idp.issuer, adapter: new bz.MemoryAdapter(), ...options }
      let written = ''
      // Created through a plain get/set/delete view of the same store, to see what is written.
      const view: SessionAdapter = {
        get: (k) => store.adapter.get(k),
        set: (k, v, o) => {
          // The session record (plain JSON with the tokens, or sealed), not an index entry.
          if (v.includes('"accessToken"') || v.startsWith('v1.')) written = v
          return store.adapter.set(k, v, o)
        },
        delete: (k) => store.adapter.delete(k),
      }
      const auth = bezzieAuth(bz, { ...store, adapter: view })
      const cookies: string[] = []
      const records: string[] = []
      // validateAccessToken: each session is created due and refreshed by bezzie itself (a real
      // grant at the IdP), so its record is what bezzie writes after a refresh: with the mark of
      // the new token's verification, which a cold read trusts instead of verifying again.
      const due = Math.floor(Date.now() / 1000)
      for (const contents of real.sessions) {
        const created = options.validateAccessToken
          ? { ...contents, tokens: { ...contents.tokens, expiresAt: due } }
          : contents
        cookies.push((await auth.sessions.create(created)).cookie)
        records.push(written)
      }
      if (options.validateAccessToken) {
        const refresher = bezzieApp(bz, { ...store, adapter: view })
        const grants = idp.counts['grant:refresh_token'] ?? 0
        let marked = 0
        for (const cookie of cookies) {
          const res = await refresher.request(`${APP_ORIGIN}/api/user`, { headers: { cookie } })
          await res.arrayBuffer()
          if (res.status !== 200) throw new Error(`refreshing a cold session: ${res.status}`)
          if (written.includes('"accessTokenVerified"')) marked++
        }
        const granted = (idp.counts['grant:refresh_token'] ?? 0) - grants
        if (granted < cookies.length || marked < cookies.length * 0.99) {
          throw new Error(
            `bezzie refreshed ${granted} of ${cookies.length} cold sessions, ${marked} with its verification mark`,
          )
        }
      }
      return { app: bezzieApp(bz, store), cookies, records }
    }
    const { records: coldRecords, ...coldPlain } = await cold({})
    const { records: _s, ...coldSecret } = await cold({ secret: BENCH_SECRET })
    const { records: _v, ...coldValidate } = await cold({ validateAccessToken: true })
    // The cold floor reads the very records of the cold plain row, with the same cookies.
    const coldFloorStore = new bz.MemoryAdapter()
    for (const [i, cookie] of coldPlain.cookies.entries()) {
      const id = cookie.split('=')[1] as string
      await coldFloorStore.set(floorKey(id), coldRecords[i] as string, { ttlSeconds: 3600 })
    }

    const contenders: Contender[] = [
      // The baseline gets a real session cookie too (it ignores it), so every request is the same size.
      { id: 'a', name: '(a) bare Hono handler', app: bareApp(), cookies: [cookie] },
      {
        id: 'f',
        name: '(f) floor: getCookie + one store get + JSON.parse of the real record + c.set',
        app: floorApp(adapter),
        cookies: [cookie],
      },
      { id: 'b', name: '(b) bezzie middleware, memory store', app: plain, cookies: [cookie] },
      {
        id: 'b′',
        name: '(b′) bezzie, createBezzie per request',
        app: bezzieApp(bz, { issuer: idp.issuer, adapter, perRequest: true }),
        cookies: [cookie],
      },
      { id: 'c', name: '(c) @hono/oidc-auth', app: oidc, cookies: [oidcCookie] },
      {
        id: 'd',
        name: '(d) bezzie + validateAccessToken',
        app: bezzieApp(bz, { issuer: idp.issuer, adapter, validateAccessToken: true }),
        cookies: [cookie],
      },
      {
        id: 'e',
        name: '(e) bezzie + `secret` (records encrypted at rest)',
        app: encrypted,
        cookies: [await bezzieLogin(encrypted)],
      },
      {
        id: 'f cold',
        name: `(f cold) floor over ${COLD_SESSIONS} sessions: the same, each request another stored record`,
        app: floorApp(coldFloorStore),
        cookies: coldPlain.cookies,
      },
      { id: 'b cold', name: '(b cold) bezzie, every request a cache miss', ...coldPlain },
      { id: 'd cold', name: '(d cold) bezzie + validateAccessToken, cache miss', ...coldValidate },
      { id: 'e cold', name: '(e cold) bezzie + `secret`, cache miss', ...coldSecret },
    ]
    for (const c of contenders) await assertAuthenticated(c)
    idp.resetCounts()

    const scenarios: Scenario[] = contenders.map((c) => {
      let next = 0
      const { app, cookies } = c
      return {
        name: c.name,
        op: async () => {
          const cookie = cookies[next++ % cookies.length] as string
          const res = await app.request(URL_USER, { headers: { cookie } })
          await res.arrayBuffer()
        },
      }
    })

    const results: Record<Mode, ModeResult> = {
      unpinned: { mode: 'unpinned', runs: [] },
      pinned: { mode: 'pinned', runs: [] },
    }
    let pinnable = true
    for (const [n, mode] of modes.entries()) {
      ctx.log(`  run ${n + 1}/${modes.length} (${mode})`)
      const unpin = mode === 'pinned' ? pinToOneCore() : undefined
      if (mode === 'pinned' && !unpin) {
        pinnable = false
        continue
      }
      const options = ctx.quick
        ? { warmupMs: n === 0 ? 200 : 50, minRounds: 6, maxMs: 3_000 }
        : { warmupMs: n === 0 ? 800 : 150, minRounds: 20, maxMs: 15_000 }
      const run = await compare(scenarios, options).finally(() => unpin?.())
      results[mode].runs.push(run)
    }
    for (const c of contenders) await assertAuthenticated(c)
    const idpCalls = Object.values(idp.counts).reduce((a, b) => a + b, 0)

    const index = (id: string) => contenders.findIndex((c) => c.id === id)
    const fi = index('f')
    const ci = index('c')
    /** Per scenario, spreads over the runs of one mode. */
    const summarize = (m: ModeResult) =>
      contenders.map((_, i) => ({
        median: spread(m.runs.map((r) => r.results[i]?.medianNs as number)),
        cpu: spread(m.runs.map((r) => r.results[i]?.cpuNs as number)),
        bare: spread(m.runs.map((r) => r.results[i]?.ratio as number)),
        floor: spread(m.runs.map((r) => pairedRatio(r, i, fi))),
        // How many times longer @hono/oidc-auth takes than this scenario, paired per round.
        oidcOver: spread(m.runs.map((r) => pairedRatio(r, ci, i))),
      }))
    const us = (ns: number) => (ns / 1000).toFixed(1)
    const x = (r: number) => r.toFixed(2)
    for (const m of [results.unpinned, results.pinned]) {
      const k = m.runs.length
      if (k === 0) continue
      const rows = summarize(m)
      s.tables.push({
        caption: `**${m.mode === 'unpinned' ? 'Unpinned' : 'Pinned to one core'}** (${k} run${k > 1 ? 's' : ''}; median, lowest–highest run in brackets)`,
        columns: [
          'Scenario',
          'median µs',
          '× bare (a)',
          '× floor (f)',
          'CPU µs / request',
          '@hono/oidc-auth ÷ this',
        ],
        rows: contenders.map((c, i) => {
          const r = rows[i] as (typeof rows)[number]
          return [
            c.name,
            formatSpread(r.median, us, k),
            formatSpread(r.bare, x, k),
            formatSpread(r.floor, x, k),
            formatSpread(r.cpu, us, k),
            c.id === 'c' ? '—' : formatSpread(r.oidcOver, x, k),
          ]
        }),
      })
    }

    const u = results.unpinned.runs.length > 0 ? summarize(results.unpinned) : undefined
    const k = results.unpinned.runs.length
    const of = (id: string) => u?.[index(id)]
    const target = (
      metric: string,
      value: Spread | undefined,
      limit: number,
      atMost: boolean,
      why = 'median over the unpinned runs',
    ): Target | undefined => {
      if (!value) return undefined
      const met = atMost ? value.median <= limit : value.median >= limit
      return {
        metric,
        target: `${atMost ? '≤' : '≥'} ${limit}×`,
        actual: formatSpread(value, (n) => `${x(n)}×`, k),
        met,
        ...(met ? {} : { why }),
      }
    }
    const coldFloor = of('f cold')?.bare.median
    // bezzie's cold row ÷ the cold floor, paired per round, median over the unpinned runs.
    const overColdFloor = median(
      results.unpinned.runs.map((r) => pairedRatio(r, index('b cold'), index('f cold'))),
    )
    const targets = [
      target('Node, repeat request, plain: × bare', of('b')?.bare, 2, true),
      target('Node, repeat request, plain: × floor', of('b')?.floor, 1.25, true),
      target('Node, repeat request, `secret`: × bare', of('e')?.bare, 2, true),
      target('Node, repeat request, `secret`: × floor', of('e')?.floor, 1.25, true),
      target('Node, repeat request, `validateAccessToken`: × bare', of('d')?.bare, 2, true),
      target('Node, repeat request, `validateAccessToken`: × floor', of('d')?.floor, 1.25, true),
      target(
        'Node, cold (cache miss), plain: × bare',
        of('b cold')?.bare,
        2,
        true,
        coldFloor === undefined
          ? undefined
          : `median over the unpinned runs; the cold floor (f cold) alone is ${x(coldFloor)}× bare, and bezzie's cold row is ${x(overColdFloor)}× the cold floor`,
      ),
      target('Node, cold (cache miss), `secret`: × bare', of('e cold')?.bare, 6, true),
      target('Node, cold (cache miss), `validateAccessToken`: × bare', of('d cold')?.bare, 8, true),
      target('Node: @hono/oidc-auth time ÷ bezzie time (plain)', of('b')?.oidcOver, 5, false),
    ]
    for (const t of targets) if (t) s.targets.push(t)

    if (u) {
      const line = (id: string) => {
        const r = of(id)
        if (!r) return ''
        return `${formatSpread(r.median, (n) => `${us(n)} µs`, k)}; ${x(r.bare.median)}× bare, ${x(r.floor.median)}× floor`
      }
      s.headlines.push(
        {
          metric: 'In-process GET (Node, unpinned): bare Hono · floor',
          value: `${formatSpread(of('a')?.median as Spread, (n) => `${us(n)} µs`, k)} · ${line('f')}`,
        },
        {
          metric: 'In-process GET: bezzie, repeat request',
          value: line('b'),
          target: '≤ 2× bare, ≤ 1.25× floor',
        },
        {
          metric: 'In-process GET: bezzie + `secret`',
          value: line('e'),
          target: '≤ 2× bare, ≤ 1.25× floor',
        },
        {
          metric: 'In-process GET: bezzie + `validateAccessToken`',
          value: line('d'),
          target: '≤ 2× bare, ≤ 1.25× floor',
        },
        { metric: 'In-process GET: bezzie, `createBezzie` per request', value: line('b′') },
        {
          metric: 'In-process GET, cold floor (f cold: the floor over the cold row’s records)',
          value: line('f cold'),
        },
        {
          metric: 'In-process GET, cold (cache miss): plain · `secret` · `validateAccessToken`',
          value: ['b cold', 'e cold', 'd cold']
            .map((id) => `${x(of(id)?.bare.median as number)}× bare`)
            .join(' · '),
          target: '≤ 2× · ≤ 6× · ≤ 8× bare',
        },
        {
          metric:
            'In-process GET: `@hono/oidc-auth`, and how many times longer it takes than bezzie',
          value: `${formatSpread(of('c')?.median as Spread, (n) => `${us(n)} µs`, k)}; ${x(of('b')?.oidcOver.median as number)}× bezzie's time`,
          target: '≥ 5×',
        },
      )
    }
    const p = results.pinned.runs.length > 0 ? summarize(results.pinned) : undefined
    if (p) {
      const r = (id: string) => p[index(id)]
      s.headlines.push({
        metric:
          'In-process GET, pinned to one core: bezzie · `secret` · `validateAccessToken` (× floor)',
        value: ['b', 'e', 'd'].map((id) => `${x(r(id)?.floor.median as number)}×`).join(' · '),
      })
    }
    s.notes.push(
      pinnable
        ? 'Why both: Node runs Web Crypto on libuv’s thread pool, and on this 2-core VM a hand-off to a pool thread on the other core costs about twice as much as on the same core, so crypto-bound scenarios used to jump between two levels unpinned. bezzie on Node no longer calls Web Crypto on a signed-in request, warm or cold: the store key is hashed in JavaScript, and the decryption of a sealed record and the signature of an access token are computed on the request’s thread with `node:crypto` (workerd keeps Web Crypto, which runs on the request’s thread there), so pinned and unpinned should agree for every bezzie row.'
        : 'The pinned runs could not be made (no `taskset`); only unpinned runs are reported.',
      '(f) is the floor: what any store-backed session costs at least (cookie, one store read, parsing the real ~2 KB record, setting the user). × floor is paired per round like × bare.',
      `(f cold) is the same floor over the ${COLD_SESSIONS} records of the cold plain row, byte for byte, with the same cookies: what a store-backed session costs at least when every request reads another record (no hashing, no checks).`,
      '(c) @hono/oidc-auth keeps the whole session in an HS256-signed JWT cookie (no store read); its session came from driving its own login flow (redirect, IdP login form, callback, code exchange) against the real IdP once.',
      `IdP requests during the timed runs (all scenarios): ${idpCalls}.`,
      `A cold row cycles through ${COLD_SESSIONS} sessions, more than bezzie’s decoded-record cache (1,000) and verified-token memo (1,000) hold, so every request hashes, reads, decrypts (with \`secret\`) and parses from scratch; with \`validateAccessToken\` it checks the access token against the record’s mark of bezzie’s own verification of it (the key still published, \`iss\`/\`aud\`/\`exp\`/\`nbf\`), not its RSA signature.`,
    )
    s.data = { modes, unpinned: results.unpinned.runs, pinned: results.pinned.runs }
    return s
  } finally {
    await idp.stop()
  }
}

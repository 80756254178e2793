import { driveLogin } from '@bezzie/idp'
import { BENCH_SECRET, bezzieApp, bezzieLogout, loadBezzie } from '../lib/bezzie-app.ts'
import type { BenchContext } from '../lib/context.ts'
import { cookieHeader } from '../lib/cookies.ts'
import { CountingAdapter, reads, type StoreCounts, writes } from '../lib/counting-adapter.ts'
import { ALICE, APP_ORIGIN, startBenchIdp } from '../lib/idp.ts'
import { type Section, section } from '../lib/report.ts'

const describe = (c: StoreCounts) => {
  const parts = Object.entries(c)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
  return parts.length ? parts.join(', ') : 'none'
}

interface Flow {
  loginRoute: StoreCounts
  callback: StoreCounts
  refresh: StoreCounts
  refreshGrants: number
  logout: StoreCounts
}

/**
 * Store operations per login (both legs), per refresh and per logout, with and without `secret`,
 * through real requests against the real IdP.
 */
export async function storeOpsSection(_ctx: BenchContext): Promise<Section> {
  const s = section('store-ops', 'Store operations per login, refresh and logout')
  s.method =
    'A counting wrapper around `MemoryAdapter`. Login: `GET /auth/login`, the IdP login form (driveLogin), `GET /auth/callback`. ' +
    'Refresh: one `GET /api/user` whose access token is inside `refreshBufferSeconds` (IdP tokens live 30 s, buffer 60 s), so that request refreshes. ' +
    'Logout: `POST /auth/logout` (same-origin headers). Writes are every set, delete, conditional replace, lock and unlock, index add/remove.'
  const bz = await loadBezzie()
  const idp = await startBenchIdp({ accessTokenTtl: 30 })
  const flows: Record<string, Flow> = {}
  try {
    for (const secret of [undefined, BENCH_SECRET]) {
      const label = secret ? 'with secret' : 'without secret'
      const store = new CountingAdapter(new bz.MemoryAdapter())
      const errors: unknown[] = []
      const app = bezzieApp(bz, {
        issuer: idp.issuer,
        adapter: store.adapter,
        refreshBufferSeconds: 60,
        errors,
        ...(secret ? { secret } : {}),
      })
      store.take()
      const start = await app.request(`${APP_ORIGIN}/auth/login?returnTo=/`)
      const loginRoute = store.take()
      const location = start.headers.get('location')
      if (!location)
        throw new Error(`${label}: /auth/login answered ${start.status} without a redirect`)
      const { callbackUrl } = await driveLogin(location, ALICE)
      const transaction = cookieHeader(start.headers.getSetCookie())
      const cb = await app.request(callbackUrl, {
        headers: transaction ? { cookie: transaction } : {},
      })
      const callback = store.take()
      const cookie = cookieHeader(cb.headers.getSetCookie())
      if (cb.status >= 400 || !cookie)
        throw new Error(`${label}: /auth/callback answered ${cb.status}`)

      idp.resetCounts()
      const r = await app.request(`${APP_ORIGIN}/api/user`, { headers: { cookie } })
      const refresh = store.take()
      const refreshGrants = idp.counts['grant:refresh_token'] ?? 0
      if (r.status !== 200) throw new Error(`${label}: the refreshing request answered ${r.status}`)

      const out = await bezzieLogout(app, cookie)
      const logout = store.take()
      if (out.status >= 400) throw new Error(`${label}: logout answered ${out.status}`)
      flows[label] = { loginRoute, callback, refresh, refreshGrants, logout }
      if (errors.length > 0)
        s.notes.push(
          `${label}: bezzie reported ${errors.length} error(s): ${errors.map(String).join('; ')}`,
        )
    }
    const labels = Object.keys(flows)
    const cell = (c: StoreCounts) => `${reads(c)} / ${writes(c)}`
    const sum = (a: StoreCounts, b: StoreCounts) =>
      Object.fromEntries(
        Object.keys(a).map((k) => [k, a[k as keyof StoreCounts] + b[k as keyof StoreCounts]]),
      ) as StoreCounts
    const rows: (string | number)[][] = [
      ['login: `GET /auth/login`', ...labels.map((l) => cell((flows[l] as Flow).loginRoute))],
      ['login: `GET /auth/callback`', ...labels.map((l) => cell((flows[l] as Flow).callback))],
      [
        '**login total**',
        ...labels.map((l) => cell(sum((flows[l] as Flow).loginRoute, (flows[l] as Flow).callback))),
      ],
      ['refresh (one request)', ...labels.map((l) => cell((flows[l] as Flow).refresh))],
      ['logout', ...labels.map((l) => cell((flows[l] as Flow).logout))],
    ]
    s.tables.push({ caption: 'Store reads / writes', columns: ['Operation', ...labels], rows })
    s.tables.push({
      caption: 'Operations in detail',
      columns: ['Operation', ...labels],
      rows: [
        ['login: `GET /auth/login`', ...labels.map((l) => describe((flows[l] as Flow).loginRoute))],
        [
          'login: `GET /auth/callback`',
          ...labels.map((l) => describe((flows[l] as Flow).callback)),
        ],
        ['refresh (one request)', ...labels.map((l) => describe((flows[l] as Flow).refresh))],
        ['logout', ...labels.map((l) => describe((flows[l] as Flow).logout))],
      ],
    })
    for (const l of labels) {
      const f = flows[l] as Flow
      s.notes.push(
        `${l}: the refreshing request made ${f.refreshGrants} refresh grant(s) at the IdP.`,
      )
    }
    s.notes.push(
      'The memory adapter has every capability (lock, conditional write, index), so these are the operations of a full-featured store such as Redis or a Durable Object. ' +
        'Workers KV has none of them and costs fewer writes: its real counts, and what they mean for the Free plan’s 1,000 writes a day, are in the workerd section.',
    )
    s.headlines.push({
      metric: 'Store writes per login / refresh / logout (memory adapter: without · with secret)',
      value: labels
        .map((l) => {
          const f = flows[l] as Flow
          return `${writes(f.loginRoute) + writes(f.callback)} / ${writes(f.refresh)} / ${writes(f.logout)}`
        })
        .join(' · '),
    })
    s.data = flows
    return s
  } finally {
    await idp.stop()
  }
}

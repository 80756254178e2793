import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import type { BezzieEnv } from 'bezzie'
import { Hono } from 'hono'
import { bezzieLogin, loadBezzie } from '../lib/bezzie-app.ts'
import type { BenchContext } from '../lib/context.ts'
import { micros, ratio } from '../lib/format.ts'
import { APP_ORIGIN, AUDIENCE, BEZZIE_CLIENT, startBenchIdp } from '../lib/idp.ts'
import { compare, pairedRatio, type Scenario } from '../lib/measure.ts'
import { repoRoot } from '../lib/paths.ts'
import { type Section, section } from '../lib/report.ts'

/** A loopback upstream that answers every request with a small JSON and checks nothing. */
async function startPlainUpstream(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      res.end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

/** apps/upstream-mock's own Hono app (jose verification, DPoP checks) served on Node in-process. */
async function startUpstreamMock(issuer: string): Promise<{ origin: string; close(): void }> {
  const modulePath = pathToFileURL(path.join(repoRoot, 'apps/upstream-mock/src/index.ts')).href
  const worker = (await import(modulePath)) as {
    default: { fetch(request: Request, env: Record<string, string>): Promise<Response> }
  }
  const env = { ISSUER: issuer, AUDIENCE }
  const server = serve({
    fetch: (r) => worker.default.fetch(r, env),
    port: 0,
    hostname: '127.0.0.1',
  })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  }
}

/**
 * The per-request cost of DPoP on a proxied call, next to the same call with a bearer token: the
 * BFF's side alone (an upstream that checks nothing) and end to end (apps/upstream-mock verifying
 * the JWT, and with DPoP the proof and the `cnf.jkt` binding).
 */
export async function dpopSection(ctx: BenchContext): Promise<Section> {
  const s = section('dpop', 'DPoP: per-request cost of a proxied call')
  s.method =
    'One `GET` through `auth.proxy()` in-process (`app.request()`), with a session from a real login against `@bezzie/idp`, the upstream on loopback HTTP. ' +
    'Bearer: `dpop` off. DPoP: `dpop: true` (ES256 key generated and kept in the memory store; the session’s token is DPoP-bound), so each request signs a fresh proof (`htm`, `htu`, `ath`, `jti`, `iat`). ' +
    '“Plain upstream” answers without checking anything: the BFF’s own cost. “upstream-mock” is apps/upstream-mock in the same process verifying the JWT against the IdP’s JWKS and, with DPoP, the proof (EmbeddedJWK signature, thumbprint, `ath`, `htu`, `jti` replay). ' +
    'Scenarios interleaved in rounds of 200 (rotating order) until medians settle (±1 % over 6 rounds) or the time cap; ratios are medians of per-round ratios; CPU is process CPU (every thread) per request.'
  const bz = await loadBezzie()
  const idp = await startBenchIdp({ accessTokenTtl: 3600 })
  const plain = await startPlainUpstream()
  const mock = await startUpstreamMock(idp.issuer)
  try {
    const makeApp = (dpop: boolean) => {
      const auth = bz.createBezzie({
        issuer: idp.issuer,
        clientId: BEZZIE_CLIENT.clientId,
        clientSecret: BEZZIE_CLIENT.clientSecret,
        audience: AUDIENCE,
        adapter: new bz.MemoryAdapter(),
        baseUrl: APP_ORIGIN,
        dpop,
        onError: () => {},
      })
      const app = new Hono<BezzieEnv>()
      app.route('/auth', auth.routes())
      app.use('/api/*', auth.middleware())
      app.all('/api/plain/*', auth.proxy({ upstream: plain.origin, stripPrefix: '/api/plain' }))
      app.all('/api/mock/*', auth.proxy({ upstream: mock.origin, stripPrefix: '/api/mock' }))
      return app
    }
    const bearerApp = makeApp(false)
    const dpopApp = makeApp(true)
    const bearerCookie = await bezzieLogin(bearerApp)
    const dpopCookie = await bezzieLogin(dpopApp)
    const call = (app: Hono<BezzieEnv>, cookie: string, p: string) => async () => {
      const res = await app.request(`${APP_ORIGIN}${p}`, { headers: { cookie, 'x-csrf': '1' } })
      const body = await res.text()
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${body.slice(0, 200)}`)
      return body
    }
    const scenarios: Scenario[] = [
      { name: 'Bearer → plain upstream', op: call(bearerApp, bearerCookie, '/api/plain/x') },
      { name: 'DPoP → plain upstream', op: call(dpopApp, dpopCookie, '/api/plain/x') },
      { name: 'Bearer → upstream-mock', op: call(bearerApp, bearerCookie, '/api/mock/api/me') },
      { name: 'DPoP → upstream-mock', op: call(dpopApp, dpopCookie, '/api/mock/api/me') },
    ]
    // Fail loudly before timing anything: the DPoP rows must really be DPoP.
    for (const sc of scenarios) await sc.op()
    const me = JSON.parse((await scenarios[3]?.op()) as string) as { tokenType?: string }
    if (me.tokenType !== 'DPoP') throw new Error(`upstream-mock saw ${me.tokenType}, not DPoP`)

    ctx.log('  comparing bearer and DPoP proxied calls')
    const c = await compare(
      scenarios,
      ctx.quick ? { maxMs: 6_000, minRounds: 6 } : { maxMs: 30_000 },
    )
    const r = c.results
    const row = (i: number, j: number) => {
      const a = r[i]
      const b = r[j]
      if (!a || !b) return []
      return [
        a.name.replace('DPoP → ', ''),
        micros(b.medianNs),
        micros(a.medianNs),
        `+${micros(a.medianNs - b.medianNs)}`,
        ratio(pairedRatio(c, i, j)),
        micros(b.cpuNs),
        micros(a.cpuNs),
        `+${micros(a.cpuNs - b.cpuNs)}`,
      ]
    }
    s.tables.push({
      caption: `Proxied GET, bearer vs DPoP (${c.rounds} rounds, ${c.stable ? 'settled' : 'time cap'})`,
      columns: [
        'Upstream',
        'Bearer latency',
        'DPoP latency',
        'DPoP adds',
        'DPoP ÷ Bearer',
        'Bearer CPU/req',
        'DPoP CPU/req',
        'DPoP adds (CPU)',
      ],
      rows: [row(1, 0), row(3, 2)],
    })
    const bff = (r[1]?.cpuNs ?? 0) - (r[0]?.cpuNs ?? 0)
    const e2e = (r[3]?.cpuNs ?? 0) - (r[2]?.cpuNs ?? 0)
    s.headlines.push({
      metric: 'DPoP per proxied request: CPU added at the BFF / end to end with the API’s checks',
      value: `+${micros(bff)} / +${micros(e2e)} (${ratio(pairedRatio(c, 1, 0))} / ${ratio(pairedRatio(c, 3, 2))} latency)`,
    })
    s.notes.push(
      'In-process the upstream shares the CPU with the BFF, so the end-to-end CPU column includes the API’s verification; on Workers the two run in separate isolates.',
      'Node signs with Web Crypto on libuv’s thread pool: on a busy 2-core machine the hand-off, not the signature, is most of the added latency.',
    )
    s.data = { results: r, rounds: c.rounds, stable: c.stable }
    return s
  } finally {
    mock.close()
    plain.server.closeAllConnections()
    plain.server.close()
    await idp.stop()
  }
}

import { bytes, pct } from '../lib/format.ts'
import { type Section, section } from '../lib/report.ts'
import { measurePackage, type PackageSize } from './package-size.ts'
import { measureWeb } from './web-size.ts'
import { FREE_PLAN_LIMIT_BYTES, measureWorker } from './worker-size.ts'

const message = (err: unknown) => (err instanceof Error ? err.message.split('\n')[0] : String(err))

/** Size: the published packages, the Worker upload, and the SPA's first load. */
export async function sizeSection(): Promise<Section> {
  const s = section('size', 'Size')
  s.method =
    'Packages: `pnpm pack` for the tarball; each `exports` entry bundled from the built dist by esbuild (wrangler’s copy), minified, gzip -9. ' +
    '"Own" keeps dependencies and peers external; "+ deps" bundles dependencies (jose, oauth4webapi) but not peers; "+ peers" bundles everything. ' +
    'Worker: `wrangler deploy --dry-run --outdir`, every uploaded file gzipped. Web: `vite build` of apps/web, the JS and CSS index.html loads up front.'
  const failures: string[] = []
  const data: Record<string, unknown> = {}

  const packages: PackageSize[] = []
  for (const [dir, browser] of [
    ['packages/bezzie', false],
    ['packages/bezzie-react', true],
  ] as const) {
    try {
      packages.push(await measurePackage(dir, browser))
    } catch (err) {
      failures.push(`${dir}: ${message(err)}`)
    }
  }
  data.packages = packages
  if (packages.length > 0) {
    s.tables.push({
      caption: 'Published packages (per entry point)',
      columns: ['Entry', 'Own min', 'Own min+gz', '+ deps min', '+ deps min+gz', '+ peers min+gz'],
      rows: packages.flatMap((p) =>
        p.entries.map((e) => [
          `\`${e.specifier}\``,
          bytes(e.ownMin),
          bytes(e.ownGz),
          bytes(e.withDepsMin),
          bytes(e.withDepsGz),
          bytes(e.withPeersGz),
        ]),
      ),
    })
    for (const p of packages) {
      s.notes.push(
        `${p.name}@${p.version}: tarball ${bytes(p.tarball)}; dependencies: ${p.dependencies.join(', ') || 'none'}; peers: ${p.peerDependencies.join(', ') || 'none'}.`,
      )
      const main = p.entries.find((e) => e.specifier === p.name)
      if (main)
        s.headlines.push({
          metric: `\`${p.name}\` min+gz (own / with deps)`,
          value: `${bytes(main.ownGz)} / ${bytes(main.withDepsGz)}`,
        })
    }
  }

  try {
    const w = await measureWorker('apps/worker')
    data.worker = w
    s.tables.push({
      caption: 'Worker upload (apps/worker)',
      columns: ['File', 'Bytes', 'gzip'],
      rows: [
        ...w.files.map((f) => [f.name, bytes(f.bytes), bytes(f.gz)]),
        ['**total**', bytes(w.bytes), bytes(w.gz)],
      ],
    })
    if (w.wranglerSays) s.notes.push(`wrangler reports: ${w.wranglerSays}.`)
    const share = w.gz / FREE_PLAN_LIMIT_BYTES
    s.headlines.push({
      metric: 'Worker bundle, gzip',
      value: `${bytes(w.gz)} (${pct(share)} of the free plan’s 3 MiB)`,
      target: '< 3 MiB',
    })
    s.targets.push({
      metric: 'Worker gzip size vs Workers Free limit',
      target: '< 3 MiB',
      actual: `${bytes(w.gz)} (${pct(share)})`,
      met: w.gz < FREE_PLAN_LIMIT_BYTES,
    })
  } catch (err) {
    failures.push(`apps/worker: ${message(err)}`)
  }

  try {
    const web = await measureWeb('apps/web')
    data.web = web
    const jsGz = web.initialJs.reduce((a, f) => a + f.gz, 0)
    const cssGz = web.initialCss.reduce((a, f) => a + f.gz, 0)
    s.tables.push({
      caption: 'Web app first load (apps/web)',
      columns: ['Asset', 'Bytes', 'gzip'],
      rows: [...web.initialJs, ...web.initialCss].map((a) => [a.file, bytes(a.bytes), bytes(a.gz)]),
    })
    s.notes.push(
      `Web: all JS in the build, lazy chunks included: ${bytes(web.allJsGz)} gzip; self-hosted fonts: ${bytes(web.fontBytes)} (woff2, loaded by the CSS on use).`,
    )
    s.headlines.push({
      metric: 'Web app initial JS / CSS, gzip',
      value: `${bytes(jsGz)} / ${bytes(cssGz)}`,
    })
  } catch (err) {
    failures.push(`apps/web: ${message(err)}`)
  }

  s.data = data
  if (failures.length > 0) {
    s.status = s.tables.length > 0 ? 'partial' : 'not-run'
    s.reason = failures.join('; ')
  }
  return s
}

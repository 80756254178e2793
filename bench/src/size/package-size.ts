import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { distReady } from '../lib/dist-ready.ts'
import { loadEsbuild } from '../lib/esbuild.ts'
import { exec } from '../lib/exec.ts'
import { gzipSize } from '../lib/gzip.ts'
import { benchDir, fromRoot } from '../lib/paths.ts'

export interface EntrySize {
  specifier: string
  /** min / min+gz with dependencies and peers external: the package's own code. */
  ownMin: number
  ownGz: number
  /** min / min+gz with dependencies bundled, peers external: what an app adds beyond its peers. */
  withDepsMin: number
  withDepsGz: number
  /** min+gz with peers bundled too (hono, react, react-query): for reference only. */
  withPeersGz: number
}

export interface PackageSize {
  name: string
  version: string
  tarball: number
  dependencies: string[]
  peerDependencies: string[]
  entries: EntrySize[]
}

interface Manifest {
  name: string
  version: string
  exports?: Record<string, unknown>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

async function packedSize(dir: string): Promise<number> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'bezzie-pack-'))
  try {
    await exec('pnpm', ['pack', '--pack-destination', out], { cwd: dir })
    const [file] = (await readdir(out)).filter((f) => f.endsWith('.tgz'))
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${dir}`)
    return (await stat(path.join(out, file))).size
  } finally {
    await rm(out, { recursive: true, force: true })
  }
}

/**
 * Measures a workspace package the way it is published: `pnpm pack` for the tarball, then every
 * public entry point (its `exports` map, through the built dist) bundled and minified by esbuild.
 */
export async function measurePackage(dir: string, browser: boolean): Promise<PackageSize> {
  const pkgDir = fromRoot(dir)
  const manifest = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8')) as Manifest
  const dist = path.join(pkgDir, 'dist')
  await distReady(dir).catch(() => undefined)
  if (!existsSync(dist))
    throw new Error(
      `${manifest.name} has no dist/ (build it first: pnpm --filter ${manifest.name} build)`,
    )
  const deps = Object.keys(manifest.dependencies ?? {})
  const peers = Object.keys(manifest.peerDependencies ?? {})
  const subpaths = Object.keys(manifest.exports ?? { '.': '' }).filter((k) => !k.endsWith('.json'))
  const esbuild = loadEsbuild()

  const bundle = async (specifier: string, external: string[]) => {
    const result = await esbuild
      .build({
        stdin: { contents: `export * from '${specifier}'`, resolveDir: benchDir, loader: 'js' },
        bundle: true,
        write: false,
        minify: true,
        format: 'esm',
        platform: browser ? 'browser' : 'neutral',
        target: 'es2022',
        mainFields: ['module', 'main'],
        conditions: browser ? ['browser', 'import'] : ['workerd', 'worker', 'import'],
        // Externalize a package and its subpaths (`hono/cookie`, `react/jsx-runtime`).
        // Runtime modules (`cloudflare:workers`) are provided by workerd, never bundled.
        external: ['cloudflare:*', ...external.flatMap((e) => [e, `${e}/*`])],
        define: { 'process.env.NODE_ENV': '"production"' },
        legalComments: 'none',
        logLevel: 'silent',
      })
      .catch((err: { errors?: { text: string }[] }) => {
        throw new Error(
          `esbuild could not bundle ${specifier}: ${err.errors?.map((e) => e.text).join('; ') ?? String(err)}`,
        )
      })
    const code = result.outputFiles?.[0]?.contents ?? new Uint8Array()
    return { min: code.byteLength, gz: gzipSize(code) }
  }

  const entries: EntrySize[] = []
  for (const sub of subpaths) {
    const specifier = sub === '.' ? manifest.name : `${manifest.name}/${sub.slice(2)}`
    const own = await bundle(specifier, [...deps, ...peers])
    const withDeps = await bundle(specifier, peers)
    const withPeers = await bundle(specifier, [])
    entries.push({
      specifier,
      ownMin: own.min,
      ownGz: own.gz,
      withDepsMin: withDeps.min,
      withDepsGz: withDeps.gz,
      withPeersGz: withPeers.gz,
    })
  }
  return {
    name: manifest.name,
    version: manifest.version,
    tarball: await packedSize(pkgDir),
    dependencies: deps,
    peerDependencies: peers,
    entries,
  }
}

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startWrangler } from '@bezzie/test-support/wrangler'
import { distReady } from '../lib/dist-ready.ts'
import { loadEsbuild } from '../lib/esbuild.ts'
import { benchDir } from '../lib/paths.ts'
import { descendantCpuMs } from '../lib/process-cpu.ts'

export interface DevWorker {
  origin: string
  /**
   * CPU time (ms) the workerd processes started by this bench run have used so far (Linux only).
   * The bench runs one `wrangler dev` at a time, so that is this Worker's.
   */
  cpuMs(): number
  stop(): Promise<void>
}

/**
 * Bundles bench/worker once, up front, into `dir` with a copy of its wrangler config, and returns
 * the folder to run `wrangler dev --no-bundle` in. wrangler then watches only this copy: other
 * people rebuilding packages/bezzie during a run cannot make it reload the Worker mid-measurement
 * (a reload starts a new isolate and empties its memory store).
 */
async function bundleWorker(dir: string): Promise<string> {
  const source = path.join(benchDir, 'worker')
  const out = path.join(dir, 'worker')
  await mkdir(out, { recursive: true })
  await distReady('packages/bezzie')
  await loadEsbuild()
    .build({
      entryPoints: [path.join(source, 'src/index.ts')],
      outfile: path.join(out, 'index.js'),
      bundle: true,
      write: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      conditions: ['workerd', 'worker', 'browser', 'import'],
      external: ['cloudflare:*', 'node:*'],
      logLevel: 'silent',
    })
    .catch((err: { errors?: { text: string }[] }) => {
      throw new Error(
        `could not bundle bench/worker: ${err.errors?.map((e) => e.text).join('; ') ?? String(err)}`,
      )
    })
  // The config is JSONC: drop whole-line comments before parsing.
  const jsonc = await readFile(path.join(source, 'wrangler.jsonc'), 'utf8')
  const config = JSON.parse(jsonc.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>
  delete config.$schema
  await writeFile(
    path.join(out, 'wrangler.json'),
    JSON.stringify({ ...config, main: 'index.js' }, null, 2),
  )
  return out
}

/**
 * Serves bench/worker (bundled once, see {@link bundleWorker}) with `wrangler dev --no-bundle`
 * through `startWrangler` (free loopback and inspector ports, throwaway state, private dev
 * registry). Resolves once the bare route answers.
 */
export async function startDevWorker(
  vars: Record<string, string>,
  port?: number,
): Promise<DevWorker> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'bezzie-bench-worker-'))
  try {
    const wrangler = await startWrangler({
      cwd: await bundleWorker(scratch),
      wranglerFrom: benchDir,
      ...(port !== undefined ? { port } : {}),
      vars,
      args: ['--no-bundle', '--show-interactive-dev-session=false', '--log-level', 'warn'],
      readyPath: '/bare',
      isReady: (response) => response.ok,
      timeoutMs: 60_000,
    })
    return {
      origin: wrangler.url,
      cpuMs: () => descendantCpuMs(process.pid, /^workerd/),
      async stop() {
        await wrangler.stop()
        await rm(scratch, { recursive: true, force: true })
      },
    }
  } catch (err) {
    await rm(scratch, { recursive: true, force: true })
    throw err
  }
}

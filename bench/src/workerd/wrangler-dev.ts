import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { distReady } from '../lib/dist-ready.ts'
import { loadEsbuild } from '../lib/esbuild.ts'
import { freePort } from '../lib/free-port.ts'
import { benchDir } from '../lib/paths.ts'
import { descendantCpuMs } from '../lib/process-cpu.ts'

export interface DevWorker {
  origin: string
  /** CPU time (ms) the workerd processes under this wrangler have used so far (Linux only). */
  cpuMs(): number
  stop(): Promise<void>
}

/**
 * Serves bench/worker (bundled once, see {@link bundleWorker}) with `wrangler dev` on a free
 * loopback port (inspector too, so it never collides with someone else's dev server), with state
 * in a throwaway folder. Resolves once the bare route answers.
 */
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

export async function startDevWorker(
  vars: Record<string, string>,
  port?: number,
): Promise<DevWorker> {
  const listenPort = port ?? (await freePort())
  const inspectorPort = await freePort()
  const state = await mkdtemp(path.join(os.tmpdir(), 'bezzie-bench-wrangler-'))
  const cwd = await bundleWorker(state)
  const args = [
    'dev',
    '--no-bundle',
    '--ip',
    '127.0.0.1',
    '--port',
    String(listenPort),
    '--inspector-port',
    String(inspectorPort),
    '--persist-to',
    state,
    '--show-interactive-dev-session=false',
    '--log-level',
    'warn',
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ]
  const child: ChildProcess = spawn(path.join(benchDir, 'node_modules/.bin/wrangler'), args, {
    cwd,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d) => {
    output += d
  })
  child.stderr?.on('data', (d) => {
    output += d
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await Promise.race([exited, sleep(5000)])
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    await rm(state, { recursive: true, force: true })
  }
  const origin = `http://127.0.0.1:${listenPort}`
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    try {
      const res = await fetch(`${origin}/bare`)
      await res.arrayBuffer()
      if (res.ok)
        return { origin, stop, cpuMs: () => descendantCpuMs(child.pid as number, /^workerd/) }
    } catch {}
    await sleep(200)
  }
  await stop()
  throw new Error(`wrangler dev did not come up: ${output.trim().split('\n').slice(-8).join('\n')}`)
}

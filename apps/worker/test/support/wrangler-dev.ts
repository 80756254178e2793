import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A port the OS says is free right now (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

export interface WranglerDev {
  url: string
  stop(): Promise<void>
}

const wranglerBin = join(
  createRequire(import.meta.url).resolve('wrangler/package.json'),
  '..',
  'bin',
  'wrangler.js',
)

/**
 * Runs `wrangler dev` for the Worker in `cwd` on a free port, with its own dev registry and
 * state folder so it never meets a developer's `pnpm dev` servers, and waits until `readyPath`
 * answers. `stop()` sends SIGTERM (wrangler stops workerd with it).
 */
export async function startWranglerDev(
  cwd: string,
  { vars = {}, readyPath = '/health' }: { vars?: Record<string, string>; readyPath?: string } = {},
): Promise<WranglerDev> {
  const port = await freePort()
  const state = mkdtempSync(join(tmpdir(), 'bezzie-wrangler-'))
  const args = [
    wranglerBin,
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(await freePort()),
    '--persist-to',
    join(state, 'state'),
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ]
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      WRANGLER_REGISTRY_PATH: join(state, 'registry'),
    },
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
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
    rmSync(state, { recursive: true, force: true })
  }
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    try {
      const res = await fetch(url + readyPath)
      if (res.status < 500) return { url, stop }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  await stop()
  throw new Error(`wrangler dev in ${cwd} did not become ready:\n${output}`)
}

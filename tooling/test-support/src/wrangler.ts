import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { freePort } from './free-port.ts'

/** Options of {@link startWrangler}. */
export interface StartWranglerOptions {
  /** The project folder (its `wrangler.jsonc`). */
  cwd: string
  /** Folder whose dependencies provide wrangler. Default: {@link StartWranglerOptions.cwd}. */
  wranglerFrom?: string
  /** Subcommand and positional arguments. Default `['dev']`; e.g. `['pages', 'dev', 'dist']`. */
  command?: string[]
  /** Port to listen on (127.0.0.1). Default: a free one. */
  port?: number
  /** `--var NAME:value` overrides. */
  vars?: Record<string, string>
  /** More command-line arguments (`--service BFF=worker`, …). */
  args?: string[]
  /**
   * Dev registry folder. Processes given the same one find each other's service bindings and
   * nothing else — never a developer's `pnpm dev` worker of the same name. Default: a private one.
   */
  registryPath?: string
  /** Polled (GET, no redirects) until {@link StartWranglerOptions.isReady} says so. Default `/health`. */
  readyPath?: string
  /** Readiness test for the {@link StartWranglerOptions.readyPath} response. Default: status below 500. */
  isReady?: (response: Response) => boolean | Promise<boolean>
  /** Also write wrangler's stdout and stderr to this file (kept for a failed run). */
  logFile?: string
  /** Give up after this many milliseconds. Default 240 000 (a loaded machine can take minutes). */
  timeoutMs?: number
}

/** A wrangler process started by {@link startWrangler}. */
export interface WranglerProcess {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  /** Everything wrangler printed so far. */
  output(): string
  /** SIGTERM to wrangler (which stops its workerd), SIGKILL after 10 s; removes its state. */
  stop(): Promise<void>
}

function wranglerBin(cwd: string): string {
  const require = createRequire(join(cwd, 'package.json'))
  return join(dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js')
}

/**
 * Runs `wrangler dev` (or `wrangler pages dev`) on a free port with its own state folder and
 * inspector port, metrics off, and resolves once it answers. On failure it stops the process and
 * rejects with wrangler's output.
 */
export async function startWrangler(options: StartWranglerOptions): Promise<WranglerProcess> {
  const {
    cwd,
    command = ['dev'],
    vars = {},
    args = [],
    readyPath = '/health',
    isReady = (response) => response.status < 500,
    timeoutMs = 240_000,
  } = options
  const port = options.port ?? (await freePort())
  const scratch = mkdtempSync(join(tmpdir(), 'bezzie-wrangler-'))
  const registryPath = options.registryPath ?? join(scratch, 'registry')
  mkdirSync(registryPath, { recursive: true })
  const child: ChildProcess = spawn(
    process.execPath,
    [
      wranglerBin(options.wranglerFrom ?? cwd),
      ...command,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(await freePort()),
      '--persist-to',
      join(scratch, 'state'),
      ...Object.entries(vars).flatMap(([key, value]) => ['--var', `${key}:${value}`]),
      ...args,
    ],
    {
      cwd,
      // Same process group as the test runner: a Ctrl-C on the run reaches wrangler too, and
      // wrangler stops its workerd on SIGINT/SIGTERM.
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        WRANGLER_REGISTRY_PATH: registryPath,
        NO_COLOR: '1',
      },
    },
  )
  const log = options.logFile ? createWriteStream(options.logFile) : undefined
  let output = ''
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      // wrangler's 'exit' can come before the last of its output (or its workerd's) has been
      // read: once stop() has closed the log, late output is dropped instead of crashing the run
      // with ERR_STREAM_WRITE_AFTER_END.
      if (log !== undefined && !log.writableEnded) log.write(chunk)
      output += chunk.toString()
    })
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name)
  }
  const stop = async () => {
    signal('SIGTERM')
    const killTimer = setTimeout(() => signal('SIGKILL'), 10_000)
    await exited
    clearTimeout(killTimer)
    log?.end()
    rmSync(scratch, { recursive: true, force: true })
  }
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(url + readyPath, { redirect: 'manual' })
      if (await isReady(response)) return { url, port, output: () => output, stop }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  await stop()
  throw new Error(
    `wrangler ${command.join(' ')} in ${cwd} was not ready at ${url}${readyPath}:\n${output.slice(-4000)}`,
  )
}

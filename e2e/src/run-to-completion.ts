import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'

/** A long-running child process of the suite (a `wrangler dev`, a build). */
export interface ServerProcess {
  name: string
  stop(): Promise<void>
}

export interface StartOptions {
  name: string
  args: string[]
  cwd: string
  env?: Record<string, string>
  /** Its stdout and stderr go here (kept under e2e/artifacts/logs for a failed run). */
  logFile: string
  /** Polled until it answers 2xx. */
  readyUrl: string
  timeoutMs?: number
}

/** Runs `node …args` and resolves once `readyUrl` answers; rejects with the log tail otherwise. */
export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const log = createWriteStream(options.logFile)
  let tail = ''
  const child: ChildProcess = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      log.write(chunk)
      tail = (tail + chunk.toString()).slice(-4000)
    })
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(killTimer)
    log.end()
  }
  const deadline = Date.now() + (options.timeoutMs ?? 90_000)
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(options.readyUrl, { redirect: 'manual' })
      if (res.ok) return { name: options.name, stop }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await stop()
  throw new Error(`${options.name} did not become ready at ${options.readyUrl}:\n${tail}`)
}

/** Runs `node …args` to completion; rejects with its output when it fails. */
export function runToCompletion(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} failed (${code}):\n${output}`)),
    )
  })
}

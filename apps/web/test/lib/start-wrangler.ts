import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** A wrangler process this test started, and how to stop it. */
export interface WranglerProcess {
  output: () => string
  stop: () => Promise<void>
}

const wranglerBin = join(
  dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin',
  'wrangler.js',
)

/**
 * Runs `wrangler <args>` in `cwd` and resolves once it prints "Ready on". The process gets its
 * own process group so that stopping it also stops the workerd it spawned.
 */
export function startWrangler(
  args: string[],
  cwd: string,
  timeoutMs = 45_000,
): Promise<WranglerProcess> {
  const child: ChildProcess = spawn(process.execPath, [wranglerBin, ...args], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
  })
  let log = ''
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.pid === undefined) return resolve()
      child.once('exit', () => resolve())
      process.kill(-child.pid, 'SIGTERM')
    })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`wrangler ${args[0]} was not ready after ${timeoutMs} ms:\n${log}`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      if (/Ready on http/.test(log)) {
        clearTimeout(timer)
        resolve({ output: () => log, stop })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`wrangler ${args[0]} exited with ${code}:\n${log}`))
    })
  })
}

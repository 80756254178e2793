import { type ChildProcess, spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { freePort } from '@bezzie/test-support/free-port'
import { RespConnection } from './resp-connection.ts'

/** Options for {@link startRedisServer}. */
export interface RedisServerOptions {
  /** TCP port on 127.0.0.1. Default 0 (a free port chosen by the OS). */
  port?: number
  /** How long to wait for the server to answer PING (in milliseconds). Default 10000. */
  readyTimeoutMs?: number
  /**
   * A directory for an append-only file fsynced on every write (`appendfsync always`), so that
   * the data survives a killed server restarted on the same `port` and `dir`. Default: no
   * persistence.
   */
  dir?: string
}

/** A running, throwaway redis-server (no persistence). */
export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  url: string
  port: number
  /** The redis-server process id (fault tests stop and kill it by PID). */
  pid: number
  /** Stops the server and waits for the process to exit. */
  stop(): Promise<void>
}

/** How to get redis-server, printed whenever it is missing. */
export const REDIS_INSTALL_HINT =
  'redis-server is not installed: `apt-get install -y redis-server` (Debian/Ubuntu), ' +
  '`brew install redis` (macOS). CI installs it from .ci/run.'

/** Absolute path of `redis-server` on PATH, or `undefined`. */
export function findRedisServer(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, 'redis-server')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return undefined
}

/**
 * Decides whether Redis-backed test suites can run. With `CI=true` a missing redis-server is an
 * error (a suite must never silently vanish in CI); elsewhere the suites are skipped with a loud
 * warning that says how to install it.
 */
export function redisServerAvailable(): boolean {
  if (findRedisServer()) return true
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`CI=true but ${REDIS_INSTALL_HINT}`)
  }
  console.warn(`\n!!! SKIPPING the Redis store suites: ${REDIS_INSTALL_HINT}\n`)
  return false
}

/**
 * Spawns `redis-server --bind 127.0.0.1 --port P --save '' --appendonly no` and resolves once it
 * answers PING.
 */
export async function startRedisServer({
  port = 0,
  readyTimeoutMs = 10_000,
  dir,
}: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = findRedisServer()
  if (!binary) throw new Error(REDIS_INSTALL_HINT)
  // redis-server treats --port 0 as "no TCP listener", so a free port is picked here. Another
  // process can grab it in between; one retry with a fresh port covers that race.
  for (let attempt = 0; ; attempt++) {
    const chosen = port || (await freePort())
    try {
      return await spawnRedis(binary, chosen, readyTimeoutMs, dir)
    } catch (error) {
      if (port || attempt >= 2) throw error
    }
  }
}

async function spawnRedis(
  binary: string,
  port: number,
  readyTimeoutMs: number,
  dir: string | undefined,
): Promise<RedisServer> {
  const persistence = dir
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]
    : ['--appendonly', 'no']
  const child = spawn(
    binary,
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', ...persistence],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const url = `redis://127.0.0.1:${port}`
  const deadline = Date.now() + readyTimeoutMs
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`redis-server exited with code ${child.exitCode}:\n${output}`)
    }
    try {
      const connection = await RespConnection.open(url)
      const [pong] = await connection.send([['PING']])
      connection.close()
      if (pong === 'PONG') break
    } catch {}
    if (Date.now() > deadline) {
      await stopChild(child)
      throw new Error(`redis-server did not answer PING within ${readyTimeoutMs} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return { url, port, pid: child.pid as number, stop: () => stopChild(child) }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    // A stopped (SIGSTOP) server would hold SIGTERM until continued.
    child.kill('SIGCONT')
    child.kill('SIGTERM')
  })
}

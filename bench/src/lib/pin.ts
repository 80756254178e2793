import { execFileSync } from 'node:child_process'
import os from 'node:os'

/**
 * Pins every thread of this process (the main thread and libuv's pool) to one core, and returns
 * a function that restores the previous affinity; `undefined` where `taskset` is unavailable.
 *
 * Why: Node runs Web Crypto on libuv's thread pool. On the shared 2-core VM this bench was built
 * on, handing a job to a pool thread on the other core costs about twice as much CPU and time as
 * on the same core, and which of the two happens flips between runs, so unpinned timings of every
 * crypto-bound scenario jump between two levels. On one core they are steady. workerd does its
 * crypto on the request's own thread, which the pinned case resembles more.
 */
export function pinToOneCore(): (() => void) | undefined {
  if (process.platform !== 'linux') return undefined
  const pid = String(process.pid)
  try {
    const current = execFileSync('taskset', ['-p', pid], { encoding: 'utf8' })
    const mask = current.trim().split(':').pop()?.trim()
    if (!mask) return undefined
    const core = os.cpus().length - 1
    execFileSync('taskset', ['-a', '-p', '-c', String(core), pid], { stdio: 'ignore' })
    return () => {
      execFileSync('taskset', ['-a', '-p', mask, pid], { stdio: 'ignore' })
    }
  } catch {
    return undefined
  }
}

import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

let ticksPerSecond: number | undefined
function clockTicks(): number {
  ticksPerSecond ??=
    Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  return ticksPerSecond
}

interface Stat {
  pid: number
  ppid: number
  comm: string
  /** utime + stime, in clock ticks. */
  ticks: number
}

function readStat(pid: string): Stat | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // comm is parenthesised and may contain spaces: split after the last ')'.
    const close = raw.lastIndexOf(')')
    const comm = raw.slice(raw.indexOf('(') + 1, close)
    const fields = raw.slice(close + 2).split(' ')
    return {
      pid: Number(pid),
      ppid: Number(fields[1]),
      comm,
      ticks: Number(fields[11]) + Number(fields[12]),
    }
  } catch {
    return undefined
  }
}

/**
 * CPU time of process `pid` in nanoseconds, summed over its threads from the scheduler's own
 * accounting (`/proc/<pid>/task/<tid>/schedstat`, first field: time on a CPU, to the nanosecond).
 * `undefined` where the kernel does not expose it.
 */
function schedNs(pid: number): number | undefined {
  try {
    let ns = 0
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const raw = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')
      ns += Number(raw.slice(0, raw.indexOf(' ')))
    }
    return Number.isFinite(ns) ? ns : undefined
  } catch {
    return undefined
  }
}

/**
 * CPU time (in milliseconds, user + system) used so far by every descendant of `rootPid` whose
 * command name matches `name`. Linux only (`/proc`). Read from the scheduler's per-thread
 * accounting, to the nanosecond, where the kernel has it; else from `/proc/<pid>/stat`, whose
 * resolution is one clock tick (usually 10 ms: ±2 % on a 600 ms sample, ±10 % on a 100 ms one).
 * Threads that ended between two readings take their time with them, so the processes measured
 * should keep their threads (workerd does).
 * CPU time barely moves with other people's load on a shared machine, unlike wall-clock throughput.
 */
export function descendantCpuMs(rootPid: number, name: RegExp): number {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(readStat)
    .filter((s): s is Stat => s !== undefined)
  const children = new Map<number, Stat[]>()
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s])
  let ms = 0
  const queue = [rootPid]
  while (queue.length > 0) {
    const pid = queue.pop() as number
    for (const c of children.get(pid) ?? []) {
      if (name.test(c.comm)) {
        const ns = schedNs(c.pid)
        ms += ns === undefined ? (c.ticks * 1000) / clockTicks() : ns / 1e6
      }
      queue.push(c.pid)
    }
  }
  return ms
}

/** Whether per-process CPU accounting is available here (Linux /proc). */
export function cpuAccountingAvailable(): boolean {
  try {
    readFileSync('/proc/self/stat')
    return true
  } catch {
    return false
  }
}

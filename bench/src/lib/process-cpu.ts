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
 * CPU time (in milliseconds, user + system) used so far by every descendant of `rootPid` whose
 * command name matches `name`. Linux only (`/proc`); resolution is one clock tick (usually 10 ms).
 * CPU time barely moves with other people's load on a shared machine, unlike wall-clock throughput.
 */
export function descendantCpuMs(rootPid: number, name: RegExp): number {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(readStat)
    .filter((s): s is Stat => s !== undefined)
  const children = new Map<number, Stat[]>()
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s])
  let ticks = 0
  const queue = [rootPid]
  while (queue.length > 0) {
    const pid = queue.pop() as number
    for (const c of children.get(pid) ?? []) {
      if (name.test(c.comm)) ticks += c.ticks
      queue.push(c.pid)
    }
  }
  return (ticks * 1000) / clockTicks()
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

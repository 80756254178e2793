import { median, summarize } from './stats.ts'

/** One contender in a side-by-side comparison: a single operation to time. */
export interface Scenario {
  name: string
  /** One operation. Its own latency is what gets measured. */
  op: () => Promise<unknown>
}

export interface CompareOptions {
  /** Time (in milliseconds) each scenario runs untimed before measuring. Default 400. */
  warmupMs?: number
  /** Timed operations per scenario per round. Default 200. */
  batchSize?: number
  /** Rounds before the stability test may stop the run. Default 12. */
  minRounds?: number
  /** Hard cap (in milliseconds) on the measuring phase for the whole comparison. Default 15000. */
  maxMs?: number
  /**
   * The run stops once every scenario's median of round medians moved less than this fraction over
   * the last `stableWindow` rounds. Default 0.01 (1 %).
   */
  tolerance?: number
  /** Rounds the stability test looks back. Default 6. */
  stableWindow?: number
}

export interface ScenarioResult {
  name: string
  /** Median latency of one operation (in nanoseconds) over every timed sample. */
  medianNs: number
  p99Ns: number
  meanNs: number
  samples: number
  /** Median over rounds of (this scenario's round median / baseline's round median). */
  ratio: number
  /**
   * Process CPU time (user + system, every thread: libuv's pool runs Web Crypto) per operation,
   * in nanoseconds: median over rounds. Unlike latency it does not grow while waiting for a core.
   */
  cpuNs: number
  /** Median over rounds of (this scenario's CPU per op / baseline's CPU per op). */
  cpuRatio: number
}

export interface Comparison {
  results: ScenarioResult[]
  rounds: number
  /** Whether the medians settled before the time cap. */
  stable: boolean
  /** Per scenario (same order as given), the median latency (ns) of each round. */
  roundMedians: number[][]
  elapsedMs: number
}

const now = () => process.hrtime.bigint()

/**
 * Times scenarios side by side: rounds interleave every scenario (rotating which goes first), so
 * drift on a shared, noisy machine hits all of them alike and ratios to the first scenario (the
 * baseline) survive even when absolute numbers wander.
 */
/** Median over rounds of scenario `i`'s round median divided by scenario `j`'s. */
export function pairedRatio(c: Comparison, i: number, j: number): number {
  const a = c.roundMedians[i] ?? []
  const b = c.roundMedians[j] ?? []
  return median(a.map((v, r) => v / (b[r] as number)))
}

export async function compare(
  scenarios: readonly Scenario[],
  options: CompareOptions = {},
): Promise<Comparison> {
  const {
    warmupMs = 400,
    batchSize = 200,
    minRounds = 12,
    maxMs = 15_000,
    tolerance = 0.01,
    stableWindow = 6,
  } = options
  if (scenarios.length === 0) throw new TypeError('compare() needs at least one scenario')

  for (const s of scenarios) {
    const until = Date.now() + warmupMs
    while (Date.now() < until) {
      for (let i = 0; i < 50; i++) await s.op()
    }
  }

  const samples = scenarios.map(() => [] as number[])
  const roundMedians = scenarios.map(() => [] as number[])
  const roundCpu = scenarios.map(() => [] as number[])
  const start = Date.now()
  let rounds = 0
  let stable = false
  const batch = new Float64Array(batchSize)
  while (true) {
    for (let k = 0; k < scenarios.length; k++) {
      const idx = (k + rounds) % scenarios.length
      const s = scenarios[idx] as Scenario
      const cpu0 = process.cpuUsage()
      for (let i = 0; i < batchSize; i++) {
        const t0 = now()
        await s.op()
        batch[i] = Number(now() - t0)
      }
      const cpu = process.cpuUsage(cpu0)
      ;(roundCpu[idx] as number[]).push(((cpu.user + cpu.system) * 1000) / batchSize)
      const sink = samples[idx] as number[]
      for (const v of batch) sink.push(v)
      ;(roundMedians[idx] as number[]).push(median(Array.from(batch)))
    }
    rounds++
    if (rounds >= minRounds && rounds > stableWindow) {
      stable = roundMedians.every((rm) => {
        const all = median(rm)
        const before = median(rm.slice(0, rm.length - stableWindow))
        return Math.abs(all - before) / all < tolerance
      })
      if (stable) break
    }
    if (Date.now() - start > maxMs) break
  }

  const base = roundMedians[0] as number[]
  const baseCpu = roundCpu[0] as number[]
  const results = scenarios.map((s, idx) => {
    const sum = summarize(samples[idx] as number[])
    const rm = roundMedians[idx] as number[]
    return {
      name: s.name,
      medianNs: sum.median,
      p99Ns: sum.p99,
      meanNs: sum.mean,
      samples: sum.n,
      ratio: median(rm.map((v, r) => v / (base[r] as number))),
      cpuNs: median(roundCpu[idx] as number[]),
      cpuRatio: median((roundCpu[idx] as number[]).map((v, r) => v / (baseCpu[r] as number))),
    }
  })
  return { results, rounds, stable, roundMedians, elapsedMs: Date.now() - start }
}

import { median } from '../lib/stats.ts'

/** Median of `values` with the smallest and largest, for "spread across runs" columns. */
export interface Spread {
  median: number
  min: number
  max: number
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) }
}

/** `12.3 (11.9–13.0)` with `format` applied to each number; just the median for a single run. */
export function formatSpread(s: Spread, format: (n: number) => string, runs: number): string {
  return runs > 1 ? `${format(s.median)} (${format(s.min)}–${format(s.max)})` : format(s.median)
}

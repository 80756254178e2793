/** Value at quantile `q` (0..1) of an ascending-sorted array, nearest-rank. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] as number
}

/** Median of an unsorted list (does not mutate it). */
export function median(values: readonly number[]): number {
  return quantileSorted(Float64Array.from(values).sort(), 0.5)
}

/** Median, p99 and mean of an unsorted list of samples. */
export function summarize(values: ArrayLike<number>): {
  median: number
  p99: number
  mean: number
  n: number
} {
  const sorted = Float64Array.from(values).sort()
  let sum = 0
  for (const v of sorted) sum += v
  return {
    median: quantileSorted(sorted, 0.5),
    p99: quantileSorted(sorted, 0.99),
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    n: sorted.length,
  }
}

/** Human-readable byte count: `12.3 kB` (1 kB = 1000 B, as bundlers report). */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`
  return `${(n / 1_000_000).toFixed(2)} MB`
}

/** Nanoseconds as µs with two decimals. */
export function micros(ns: number): string {
  return `${(ns / 1000).toFixed(2)} µs`
}

export function ratio(r: number): string {
  return `${r.toFixed(2)}×`
}

export function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`
}

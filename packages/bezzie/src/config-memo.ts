import type { BezzieConfig } from './config.ts'

/**
 * Remembers values built from a {@link BezzieConfig} so that the seed's pattern, a fresh
 * `createBezzie({...})` inside every request, costs a comparison instead of a rebuild.
 *
 * Two configurations are the same when their plain data (strings, numbers, booleans, arrays and
 * plain objects, compared deeply) is equal and everything else (the adapter, hooks, logout URL
 * builders: functions and class instances) is the very same object. Functions are never compared
 * by their text: two closures with the same code may hold different values. The adapter is
 * compared by identity even when it is a plain object, because it is a live connection to a store.
 *
 * The memo keeps a deep copy of each configuration's plain data, so a caller that mutates its
 * config object afterwards does not change what a later call is compared against.
 */
export class ConfigMemo<T> {
  readonly #size: number
  #entries: { config: BezzieConfig; value: T }[] = []

  /** @param size - How many distinct configurations to remember (most recently used kept). */
  constructor(size: number) {
    this.#size = size
  }

  /** The value remembered for a configuration equal to `config`, else `build(config)` remembered. */
  get(config: BezzieConfig, build: (config: BezzieConfig) => T): T {
    const entries = this.#entries
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as { config: BezzieConfig; value: T }
      if (sameConfig(entry.config, config)) {
        if (i > 0) {
          entries.splice(i, 1)
          entries.unshift(entry)
        }
        return entry.value
      }
    }
    const value = build(config)
    entries.unshift({ config: snapshot(config) as BezzieConfig, value })
    if (entries.length > this.#size) entries.pop()
    return value
  }
}

const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

function snapshot(value: unknown, key?: string): unknown {
  if (key === 'adapter') return value
  if (Array.isArray(value)) return value.map((v) => snapshot(v))
  if (isPlain(value)) {
    const copy: Record<string, unknown> = {}
    for (const k of Object.keys(value)) copy[k] = snapshot(value[k], k)
    return copy
  }
  return value
}

function same(a: unknown, b: unknown, key?: string): boolean {
  if (Object.is(a, b)) return true
  if (key === 'adapter') return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false
    return true
  }
  if (isPlain(a) && isPlain(b)) return sameKeys(a, b)
  return false
}

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let count = 0
  for (const k in b) {
    if (!Object.hasOwn(b, k)) continue
    count++
    if (!Object.hasOwn(a, k) || !same(a[k], b[k], k)) return false
  }
  return count === Object.keys(a).length
}

/** True when `b` is the same configuration as `a` (see {@link ConfigMemo}). */
export function sameConfig(a: BezzieConfig, b: BezzieConfig): boolean {
  return isPlain(b) && sameKeys(a as unknown as Record<string, unknown>, b as never)
}

import { ConfigError } from './errors.ts'

/**
 * Time limits. Every session store call and every token refresh is bounded, so that a store or
 * IdP that hangs costs a request a known, short wait and never blocks it (or, through the shared
 * single-flight refresh, every later request of the same session).
 */
export interface TimeoutsConfig {
  /**
   * Time limit of each session store call (in milliseconds): get, write, delete, lock, index.
   * A call that takes longer fails as `StoreError` `store_failed` (503 with `Retry-After`, never
   * a logout). Default 2000.
   */
  storeMs?: number
  /**
   * Time limit of a whole token refresh as a request sees it (in milliseconds): waiting for the
   * refresh lock, the IdP's token endpoint, verifying the new access token, storing the result.
   * A request whose refresh takes longer answers 503 + `Retry-After` (or proceeds with the
   * current access token while it is still valid); the refresh itself carries on and its result
   * is still stored. Default 10000.
   */
  refreshMs?: number
  /**
   * Longest wait (in milliseconds) for another isolate's refresh of the same session (the store's
   * lock) before answering without it. Default 5000, at most `refreshMs`.
   */
  lockWaitMs?: number
}

/** {@link TimeoutsConfig} with every default applied. */
export interface ResolvedTimeouts {
  storeMs: number
  refreshMs: number
  lockWaitMs: number
  /**
   * How long (in milliseconds) a refresh lock is held at most: longer than the whole refresh may
   * take, so that it never expires under a live holder.
   */
  lockTtlMs: number
}

function milliseconds(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ConfigError(`timeouts.${name}`, `must be a number of milliseconds >= ${min}`)
  }
  return Math.round(value)
}

/** Validates `timeouts` and applies the defaults. */
export function resolveTimeouts(timeouts: TimeoutsConfig | undefined): ResolvedTimeouts {
  if (timeouts !== undefined && (typeof timeouts !== 'object' || timeouts === null)) {
    throw new ConfigError('timeouts', 'must be an object')
  }
  const storeMs = milliseconds(timeouts?.storeMs, 'storeMs', 2000, 10)
  const refreshMs = milliseconds(timeouts?.refreshMs, 'refreshMs', 10_000, 100)
  const lockWaitMs = milliseconds(timeouts?.lockWaitMs, 'lockWaitMs', Math.min(5000, refreshMs), 0)
  if (lockWaitMs > refreshMs) {
    throw new ConfigError('timeouts.lockWaitMs', 'must be at most timeouts.refreshMs')
  }
  return { storeMs, refreshMs, lockWaitMs, lockTtlMs: refreshMs + 5000 }
}

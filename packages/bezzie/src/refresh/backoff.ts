/** First wait (in milliseconds) after a failed token refresh; it doubles per failure in a row. */
const BASE_MS = 1000
/** Longest wait (in milliseconds) bezzie chooses itself; an IdP's `Retry-After` may ask for more. */
const MAX_MS = 30_000
/** Longest `Retry-After` (in milliseconds) honoured, so a bad header cannot lock a session out. */
const MAX_RETRY_AFTER_MS = 5 * 60_000
/** Entries kept at most; the oldest go first (a failing session that is never seen again). */
const MAX_ENTRIES = 10_000

interface Entry {
  until: number
  failures: number
}

/**
 * Exponential backoff per key, in this isolate: after a token-endpoint failure the session (and,
 * under its own key, the issuer) waits before the IdP is called again, instead of every request
 * calling it. Recovers on its own: once the wait is over, the next request tries again, and a
 * success forgets the failures.
 */
export class Backoff {
  readonly #entries = new Map<string, Entry>()
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  /** Milliseconds until any of `keys` may try again (0 when none is backing off). */
  remainingMs(...keys: string[]): number {
    const now = this.#now()
    let wait = 0
    for (const key of keys) {
      const entry = this.#entries.get(key)
      if (entry && entry.until > now) wait = Math.max(wait, entry.until - now)
    }
    return wait
  }

  /**
   * Records a failure of `key`; `retryAfterSeconds` (the IdP's `Retry-After`) is a floor.
   *
   * A failure reported while `key` is already waiting does not double the wait: it is a call that
   * started before the wait began (many sessions failing in the same outage), not a new attempt.
   * Otherwise a burst of concurrent failures would push the issuer's wait to the maximum at once,
   * and every session would stay locked out long after the IdP healed.
   */
  failed(key: string, retryAfterSeconds?: number): void {
    const previous = this.#entries.get(key)
    const now = this.#now()
    const waiting = previous !== undefined && previous.until > now
    const failures = waiting ? previous.failures : (previous?.failures ?? 0) + 1
    let wait = Math.min(MAX_MS, BASE_MS * 2 ** (failures - 1))
    if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
      wait = Math.max(wait, Math.min(MAX_RETRY_AFTER_MS, retryAfterSeconds * 1000))
    }
    if (waiting) wait = Math.max(wait, previous.until - now)
    this.#entries.delete(key)
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    this.#entries.set(key, { until: now + wait, failures })
  }

  /** Forgets the failures of `keys`. */
  succeeded(...keys: string[]): void {
    for (const key of keys) this.#entries.delete(key)
  }

  /** Forgets everything (tests). */
  clear(): void {
    this.#entries.clear()
  }
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date); `undefined` when absent or bad. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}

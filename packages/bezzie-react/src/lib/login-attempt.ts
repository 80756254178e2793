/**
 * Remembers, per tab (sessionStorage), when a login was started automatically, so that a login
 * that comes back still signed out (cookies blocked, a session the BFF cannot keep) is not
 * started again and again.
 */

/** How long after an automatic login a signed-out return counts as that login failing, in ms. */
export const LOGIN_ATTEMPT_WINDOW_MS = 120_000

const key = (basePath: string) => `bezzie:login-attempt:${basePath}`

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage
  } catch {
    // Disabled storage (some privacy modes, sandboxed frames) throws on access.
    return null
  }
}

/** Records that a login is starting now. */
export function recordLoginAttempt(basePath: string, now = Date.now()): void {
  try {
    storage()?.setItem(key(basePath), String(now))
  } catch {
    // A full or disabled storage only costs the loop breaker, never the login.
  }
}

/**
 * Whether a login started less than {@link LOGIN_ATTEMPT_WINDOW_MS} ago. Reading consumes the
 * record: the next automatic login after this one is allowed again.
 */
export function takeRecentLoginAttempt(basePath: string, now = Date.now()): boolean {
  const store = storage()
  const at = Number(store?.getItem(key(basePath)) ?? Number.NaN)
  if (Number.isNaN(at)) return false
  clearLoginAttempt(basePath)
  return now - at >= 0 && now - at < LOGIN_ATTEMPT_WINDOW_MS
}

/** Forgets the attempt, e.g. once a user is signed in. */
export function clearLoginAttempt(basePath: string): void {
  try {
    storage()?.removeItem(key(basePath))
  } catch {
    // Nothing to forget when storage is unavailable.
  }
}

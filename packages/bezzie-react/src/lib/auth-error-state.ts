import { type AuthError, readAuthError, withoutAuthError } from '../auth-error.ts'

/**
 * The page's auth error, read from the URL once per page load. Module state, not React state:
 * the URL is one per page, and a router guard that runs before React renders must see the same
 * value as the components.
 */
let current: AuthError | null = null
let captured = false
const listeners = new Set<() => void>()

function notify(): void {
  for (const listener of listeners) listener()
}

/**
 * Reads `?auth_error=` from the address bar the first time it is called in a browser and takes
 * it out of the URL (`history.replaceState`; path, other parameters and `#fragment` kept), so a
 * reload or a shared link does not show a stale error. Later calls return what was read.
 */
export function captureAuthError(): AuthError | null {
  if (captured || typeof window === 'undefined') return current
  captured = true
  const error = readAuthError(window.location.search)
  if (error === null) return current
  window.history.replaceState(window.history.state, '', withoutAuthError(window.location.href))
  current = error
  notify()
  return current
}

/** The auth error now shown (`null` for none), without reading the URL. */
export function authErrorSnapshot(): AuthError | null {
  return current
}

/** Replaces the auth error (`null` clears it) and tells every subscriber. */
export function setAuthError(error: AuthError | null): void {
  if (current === error) return
  current = error
  notify()
}

/** Calls `listener` whenever the auth error changes; returns the unsubscribe function. */
export function subscribeAuthError(listener: () => void): () => void {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

/** Forgets everything, as a new page load would. For tests. */
export function resetAuthErrorState(): void {
  current = null
  captured = false
  listeners.clear()
}

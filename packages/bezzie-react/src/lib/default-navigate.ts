import { withoutAuthError } from '../auth-error.ts'
import type { Navigate } from '../types.ts'

/** Resolved at call time so that importing the package never touches `window`. */
export const defaultNavigate: Navigate = (url) => {
  window.location.assign(url)
}

/**
 * The current path, query string and `#fragment`: what a user should come back to after login.
 * A stale `auth_error` is left out, so that the page after a successful login shows none.
 */
export function currentPath(): string {
  return withoutAuthError(window.location.pathname + window.location.search + window.location.hash)
}

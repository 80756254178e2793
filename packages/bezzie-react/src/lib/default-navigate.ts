import type { Navigate } from '../types.ts'

/** Resolved at call time so that importing the package never touches `window`. */
export const defaultNavigate: Navigate = (url) => {
  window.location.assign(url)
}

/** The current path and query string: what a user should come back to after login. */
export function currentPath(): string {
  return window.location.pathname + window.location.search
}

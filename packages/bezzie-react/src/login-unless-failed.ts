import { DEFAULT_BASE_PATH } from '@bezzie/contract'
import { type AuthError, authErrorFromCode, LOGIN_NOT_COMPLETED } from './auth-error.ts'
import { captureAuthError, setAuthError } from './lib/auth-error-state.ts'
import { currentPath } from './lib/default-navigate.ts'
import {
  clearLoginAttempt,
  recordLoginAttempt,
  takeRecentLoginAttempt,
} from './lib/login-attempt.ts'
import { type LoginOptions, login } from './login.ts'
import type { Navigate } from './types.ts'

/** Options of {@link loginUnlessFailed}. */
export interface LoginUnlessFailedOptions extends LoginOptions {
  /** How to navigate to the login route. Default is `window.location.assign`. */
  navigate?: Navigate
}

/**
 * Starts a login for a visitor who is not signed in — unless the last login failed: then it
 * returns why, and starts nothing. This is the guard a protected route needs (a router's
 * `beforeLoad` or loader, or `<Protected>`): without it, an IdP that answers "cancelled" or a
 * session cookie the browser refuses sends the user round the login forever.
 *
 * A login counts as failed when the URL carries the BFF's `?auth_error=` (taken out of the URL
 * the first time it is read), or when a login this function started in this tab less than two
 * minutes ago came back still signed out (`code: 'login_not_completed'`). Retrying is then up to
 * the user: call {@link login} from a button.
 *
 * @returns `null` when the login started (the page is navigating away), else the failure.
 */
export function loginUnlessFailed(options: LoginUnlessFailedOptions = {}): AuthError | null {
  const basePath = options.basePath ?? DEFAULT_BASE_PATH
  const reported = captureAuthError()
  if (reported !== null) {
    clearLoginAttempt(basePath)
    return reported
  }
  if (takeRecentLoginAttempt(basePath)) {
    const notCompleted = authErrorFromCode(LOGIN_NOT_COMPLETED) as AuthError
    setAuthError(notCompleted)
    return notCompleted
  }
  recordLoginAttempt(basePath)
  login({ ...options, basePath, returnTo: options.returnTo ?? currentPath() })
  return null
}

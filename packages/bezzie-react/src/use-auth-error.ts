'use client'
import { useMemo, useSyncExternalStore } from 'react'
import type { AuthError } from './auth-error.ts'
import {
  authErrorSnapshot,
  captureAuthError,
  setAuthError,
  subscribeAuthError,
} from './lib/auth-error-state.ts'
import { useBrowserLayoutEffect } from './lib/use-browser-layout-effect.ts'

/** What {@link useAuthError} returns while there is an error to show. */
export interface UseAuthErrorResult extends AuthError {
  /** Hides the error (e.g. when the user closes the message). */
  dismiss: () => void
}

const serverSnapshot = () => null

/**
 * Why the last login failed, or `null`: the BFF's `?auth_error=` (read once per page load and
 * taken out of the URL), or `login_not_completed` from {@link loginUnlessFailed}. Works with or
 * without a `<BezzieProvider>`; renders `null` on the server.
 */
export function useAuthError(): UseAuthErrorResult | null {
  const error = useSyncExternalStore(subscribeAuthError, authErrorSnapshot, serverSnapshot)
  // Before paint and before any child's effect could start a login.
  useBrowserLayoutEffect(() => {
    captureAuthError()
  }, [])
  return useMemo(
    () => (error === null ? null : { ...error, dismiss: () => setAuthError(null) }),
    [error],
  )
}

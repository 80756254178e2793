'use client'
import { type ReactNode, useEffect, useRef } from 'react'
import type { AuthError } from './auth-error.ts'
import { useBezzieContext } from './bezzie-context.ts'
import { currentPath } from './lib/default-navigate.ts'
import { clearLoginAttempt, recordLoginAttempt } from './lib/login-attempt.ts'
import { login } from './login.ts'
import { loginUnlessFailed } from './login-unless-failed.ts'
import { useAuthError } from './use-auth-error.ts'
import { useUser } from './use-user.ts'

/** Props of {@link Protected}. */
export interface ProtectedProps {
  /** Rendered for a signed-in user. */
  children?: ReactNode
  /**
   * Rendered when nobody is signed in, instead of redirecting to login. Without it, an
   * unauthenticated visitor is sent to the login route.
   */
  fallback?: ReactNode
  /** Rendered while the session is being read and while redirecting to login. Default: nothing. */
  onRedirecting?: ReactNode
  /**
   * Rendered when `/me` failed (network, 5xx): the session is unknown, so neither `children` nor
   * a redirect is right. A function receives the error and a retry. Default: nothing.
   */
  errorFallback?: ReactNode | ((error: Error, retry: () => void) => ReactNode)
  /**
   * Rendered for a signed-out visitor whose last login failed (the BFF's `?auth_error=`, or a
   * login that came back still signed out): no new login starts by itself. A function receives
   * the error and `retry`, which starts a login when the user asks for one. Default: `fallback`
   * when given, else nothing.
   */
  authErrorFallback?: ReactNode | ((error: AuthError, retry: () => void) => ReactNode)
  /**
   * Where to come back to after login. Default: the current path, query string and `#fragment`.
   */
  returnTo?: string
}

/**
 * Renders `children` only for a signed-in user. Otherwise renders `fallback` when given, or
 * starts a login that returns to the current page — unless the last login failed, in which case
 * it renders `authErrorFallback` and waits for the user (see {@link loginUnlessFailed}).
 */
export function Protected({
  children,
  fallback,
  onRedirecting = null,
  errorFallback = null,
  authErrorFallback,
  returnTo,
}: ProtectedProps): ReactNode {
  const { basePath, navigate } = useBezzieContext('<Protected>')
  const { isAuthenticated, isLoading, error, invalidate } = useUser()
  const authError = useAuthError()
  const signedOut = !isAuthenticated && !isLoading && error === null
  const mustRedirect = signedOut && authError === null && fallback === undefined
  const redirected = useRef(false)

  useEffect(() => {
    if (isAuthenticated) clearLoginAttempt(basePath)
  }, [isAuthenticated, basePath])

  useEffect(() => {
    if (!mustRedirect || redirected.current) return
    // The navigation takes a moment; a re-render meanwhile must not start a second login.
    redirected.current = true
    const failure = loginUnlessFailed({
      basePath,
      navigate,
      ...(returnTo === undefined ? {} : { returnTo }),
    })
    // The failure is now the auth error: the next render shows authErrorFallback.
    if (failure !== null) redirected.current = false
  }, [mustRedirect, basePath, navigate, returnTo])

  if (isAuthenticated) return children
  if (isLoading) return onRedirecting
  if (error !== null) {
    return typeof errorFallback === 'function'
      ? errorFallback(error, () => void invalidate())
      : errorFallback
  }
  if (authError !== null) {
    const retry = () => {
      authError.dismiss()
      // An explicit retry that comes back signed out again must stop, not loop.
      recordLoginAttempt(basePath)
      redirected.current = true
      login({ basePath, navigate, returnTo: returnTo ?? currentPath() })
    }
    const shown = authErrorFallback === undefined ? (fallback ?? null) : authErrorFallback
    return typeof shown === 'function' ? shown(authError, retry) : shown
  }
  return fallback === undefined ? onRedirecting : fallback
}

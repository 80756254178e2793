'use client'
import { type ReactNode, useEffect, useRef } from 'react'
import { useBezzieContext } from './bezzie-context.ts'
import { currentPath } from './lib/default-navigate.ts'
import { login } from './login.ts'
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
  /** Where to come back to after login. Default: the current path and query string. */
  returnTo?: string
}

/**
 * Renders `children` only for a signed-in user. Otherwise renders `fallback` when given, or
 * starts a login that returns to the current page.
 */
export function Protected({
  children,
  fallback,
  onRedirecting = null,
  errorFallback = null,
  returnTo,
}: ProtectedProps): ReactNode {
  const { basePath, navigate } = useBezzieContext('<Protected>')
  const { isAuthenticated, isLoading, error, invalidate } = useUser()
  const mustRedirect = !isAuthenticated && !isLoading && error === null && fallback === undefined
  const redirected = useRef(false)

  useEffect(() => {
    if (!mustRedirect || redirected.current) return
    // The navigation takes a moment; a re-render meanwhile must not start a second login.
    redirected.current = true
    login({ basePath, navigate, returnTo: returnTo ?? currentPath() })
  }, [mustRedirect, basePath, navigate, returnTo])

  if (isAuthenticated) return children
  if (isLoading) return onRedirecting
  if (error !== null) {
    return typeof errorFallback === 'function'
      ? errorFallback(error, () => void invalidate())
      : errorFallback
  }
  return fallback === undefined ? onRedirecting : fallback
}

import { useLogin } from 'bezzie-react'
import { useEffect, useState } from 'react'
import { AFTER_LOGIN_PATH } from '../site-links.ts'

/** Props of {@link LoginButton}. */
export interface LoginButtonProps {
  /** `primary` is the hero's large button, `small` fits the nav. */
  variant?: 'primary' | 'small'
  /** Path to come back to after the IdP. Default is `/dashboard`. */
  returnTo?: string
  'data-testid'?: string
}

/**
 * Starts the login (a full navigation to the BFF's `/auth/login`) and says "Redirecting…" while
 * the browser leaves, so a slow IdP does not look like a dead button.
 */
export function LoginButton({
  variant = 'primary',
  returnTo = AFTER_LOGIN_PATH,
  'data-testid': testId,
}: LoginButtonProps) {
  const login = useLogin()
  const [redirecting, setRedirecting] = useState(false)

  // Coming back with the Back button restores this page from the bfcache, state and all.
  useEffect(() => {
    const reset = (event: PageTransitionEvent) => {
      if (event.persisted) setRedirecting(false)
    }
    window.addEventListener('pageshow', reset)
    return () => window.removeEventListener('pageshow', reset)
  }, [])

  return (
    <button
      type="button"
      className={`button button--primary${variant === 'small' ? ' button--small' : ''}`}
      data-testid={testId}
      disabled={redirecting}
      aria-busy={redirecting}
      onClick={() => {
        setRedirecting(true)
        login({ returnTo })
      }}
    >
      {redirecting && <span className="spinner" aria-hidden="true" />}
      {redirecting ? 'Redirecting…' : 'Log in'}
    </button>
  )
}

import { useNavigate } from '@tanstack/react-router'
import { useBezzieFetch, useLogin } from 'bezzie-react'
import { useEffect, useState } from 'react'
import { signInAvailable } from '../sign-in-available.ts'
import { AFTER_LOGIN_PATH } from '../site-links.ts'

/** Props of {@link LoginButton}. */
export interface LoginButtonProps {
  /** `primary` is the hero's large button, `small` fits the nav. */
  variant?: 'primary' | 'small'
  /** Path to come back to after the IdP. Default is `/dashboard`. */
  returnTo?: string
  /** The button's text. Default is "Log in". */
  label?: string
  'data-testid'?: string
}

/**
 * Starts the login (a full navigation to the BFF's `/auth/login`) and says "Redirecting…" while
 * the browser leaves, so a slow IdP does not look like a dead button. It first asks the BFF
 * whether the IdP answers: with the IdP down, the user gets this site's "sign-in unavailable"
 * page instead of the browser's "This site can't be reached".
 */
export function LoginButton({
  variant = 'primary',
  returnTo = AFTER_LOGIN_PATH,
  label = 'Log in',
  'data-testid': testId,
}: LoginButtonProps) {
  const login = useLogin()
  const fetch = useBezzieFetch()
  const navigate = useNavigate()
  const [redirecting, setRedirecting] = useState(false)

  // Coming back with the Back button restores this page from the bfcache, state and all.
  useEffect(() => {
    const reset = (event: PageTransitionEvent) => {
      if (event.persisted) setRedirecting(false)
    }
    window.addEventListener('pageshow', reset)
    return () => window.removeEventListener('pageshow', reset)
  }, [])

  async function start() {
    setRedirecting(true)
    if (await signInAvailable(fetch)) {
      login({ returnTo })
      return
    }
    setRedirecting(false)
    await navigate({ to: '/sign-in', search: { returnTo, problem: 'idp_unavailable' } })
  }

  return (
    <button
      type="button"
      className={`button button--primary${variant === 'small' ? ' button--small' : ''}`}
      data-testid={testId}
      disabled={redirecting}
      aria-busy={redirecting}
      onClick={() => void start()}
    >
      {redirecting && <span className="spinner" aria-hidden="true" />}
      {redirecting ? 'Redirecting…' : label}
    </button>
  )
}

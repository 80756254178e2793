import { Link, useSearch } from '@tanstack/react-router'
import { type AuthError, useAuthError } from 'bezzie-react'
import { LoginButton } from '../components/LoginButton.tsx'
import { NoticeLayout } from '../components/NoticeLayout.tsx'
import { AFTER_LOGIN_PATH } from '../site-links.ts'
import { useDocumentTitle } from '../useDocumentTitle.ts'

interface Wording {
  eyebrow: string
  title: string
  lede: string
}

function wordingFor(problem: 'idp_unavailable' | undefined, authError: AuthError | null): Wording {
  if (problem === 'idp_unavailable') {
    return {
      eyebrow: 'Sign-in unavailable',
      title: 'The sign-in service is not answering',
      lede: 'The Worker could not reach the identity provider, so logging in would only end on an error page. Nothing is wrong with your account; try again in a moment.',
    }
  }
  if (authError?.code === 'access_denied') {
    return {
      eyebrow: 'Sign-in cancelled',
      title: 'You did not sign in',
      lede: 'The sign-in was cancelled at the identity provider, so you are still signed out. Log in whenever you are ready.',
    }
  }
  if (authError !== null) {
    return {
      eyebrow: 'Sign-in failed',
      title: 'The sign-in did not complete',
      lede: `${authError.message} You are still signed out; nothing was started again without you.`,
    }
  }
  return {
    eyebrow: 'Signed out',
    title: 'Log in to continue',
    lede: 'This page needs a session. Log in with one of the demo accounts to see your dashboard.',
  }
}

/**
 * `/sign-in`: where the dashboard's guard sends a visitor whose last login failed (cancelled at
 * the IdP, an error code from the BFF, a login that came back signed out), and where the Log in
 * buttons go when the IdP is down.
 */
export function SignInPage() {
  const { returnTo = AFTER_LOGIN_PATH, problem } = useSearch({ from: '/sign-in' })
  const authError = useAuthError()
  const wording = wordingFor(problem, authError)
  useDocumentTitle(wording.eyebrow)
  const failed = problem !== undefined || authError !== null
  // A cancelled sign-in is the user's own choice: no alarm colour for it.
  const alarming = failed && authError?.code !== 'access_denied'
  return (
    <NoticeLayout
      data-testid="sign-in-page"
      role={failed ? 'alert' : undefined}
      eyebrow={<p className={`eyebrow${alarming ? ' eyebrow--danger' : ''}`}>{wording.eyebrow}</p>}
      title={wording.title}
      titleId="sign-in-title"
      actions={
        <>
          <LoginButton
            returnTo={returnTo}
            label={failed ? 'Try again' : 'Log in'}
            data-testid="sign-in-retry"
          />
          <Link to="/" className="button button--ghost">
            Home
          </Link>
        </>
      }
      aside={
        <>
          <h2 className="notice__aside-title">What happens when you log in</h2>
          <ol className="notice__steps">
            <li>The Worker sends you to the identity provider's sign-in page.</li>
            <li>You sign in there; this site never sees your password.</li>
            <li>
              The Worker keeps the tokens and gives your browser an <code>HttpOnly</code> session
              cookie.
            </li>
          </ol>
          {authError !== null && (
            <p className="notice__code-line">
              Error code: <code data-testid="auth-error-code">{authError.code}</code>
            </p>
          )}
        </>
      }
    >
      <p className="notice__lede">{wording.lede}</p>
    </NoticeLayout>
  )
}

import { Protected, useUser } from 'bezzie-react'
import { useState } from 'react'
import { Callout } from '../components/Callout.tsx'
import { LoginButton } from '../components/LoginButton.tsx'
import { LogoutButton } from '../components/LogoutButton.tsx'
import { VerifyNoJwt } from '../components/VerifyNoJwt.tsx'
import { firstName } from '../first-name.ts'
import { Link } from '../router/Link.tsx'
import { UpstreamResponse } from '../upstream/UpstreamResponse.tsx'
import { useDocumentTitle } from '../useDocumentTitle.ts'

function PageStatus({ children }: { children: string }) {
  return (
    <section className="container page-status" role="status" data-testid="dashboard-status">
      <span className="spinner spinner--accent" aria-hidden="true" />
      {children}
    </section>
  )
}

/** `/auth/me` failed (BFF or IdP down): not the same as logged out, so no redirect. */
function SessionUnknown({ error, retry }: { error: Error; retry: () => void }) {
  return (
    <section className="container dashboard" data-testid="session-error">
      <Callout tone="error" title="Could not check your session">
        <p>The Worker did not answer as expected ({error.message}).</p>
        <p>
          <button type="button" className="button button--secondary button--small" onClick={retry}>
            Try again
          </button>
        </p>
      </Callout>
    </section>
  )
}

function Dashboard() {
  const { user } = useUser()
  if (!user) return null
  const name = firstName(user)
  return (
    <div className="dashboard container">
      <div className="dashboard__header">
        <div>
          <p className="eyebrow">Dashboard</p>
          <h1 className="page-title" data-testid="dashboard-greeting">
            {name ? `Hi, ${name}` : 'Hi there'}
          </h1>
          <p className="dashboard__lede">
            You are signed in. This page holds no token — only the Worker does.
          </p>
        </div>
        <LogoutButton />
      </div>
      <UpstreamResponse sub={user.sub} />
      <VerifyNoJwt />
    </div>
  )
}

/**
 * The session ended while this page was open (logout in another tab, back-channel logout at the
 * IdP, a 401 from the API): say so, rather than bouncing the user to the IdP unasked.
 */
function SignedOut() {
  return (
    <section
      className="container notice-page"
      aria-labelledby="signed-out-title"
      data-testid="signed-out-notice"
    >
      <p className="eyebrow">Session ended</p>
      <h1 id="signed-out-title" className="page-title">
        You have been signed out
      </h1>
      <p className="notice-page__text">
        Your session ended in another tab or at the identity provider. Log in again to get back to
        your dashboard.
      </p>
      <div className="hero__actions">
        <LoginButton returnTo="/dashboard" data-testid="signed-out-login-button" />
        <Link href="/" className="button button--ghost">
          Home
        </Link>
      </div>
    </section>
  )
}

/**
 * `/dashboard`: protected. An anonymous visitor is sent to the login and brought back here
 * (path and query); a user whose session ends while here is told so instead.
 */
export function DashboardPage() {
  useDocumentTitle('Dashboard')
  const { isAuthenticated } = useUser()
  const [wasSignedIn, setWasSignedIn] = useState(false)
  if (isAuthenticated && !wasSignedIn) setWasSignedIn(true)
  return (
    <Protected
      onRedirecting={<PageStatus>Checking your session…</PageStatus>}
      errorFallback={(error, retry) => <SessionUnknown error={error} retry={retry} />}
      fallback={wasSignedIn ? <SignedOut /> : undefined}
    >
      <Dashboard />
    </Protected>
  )
}

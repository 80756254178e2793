import { Protected, useUser } from 'bezzie-react'
import { Callout } from '../components/Callout.tsx'
import { LogoutButton } from '../components/LogoutButton.tsx'
import { VerifyNoJwt } from '../components/VerifyNoJwt.tsx'
import { firstName } from '../first-name.ts'
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

/** `/dashboard`: protected; anonymous visitors are sent to the login and brought back here. */
export function DashboardPage() {
  useDocumentTitle('Dashboard')
  return (
    <Protected
      returnTo="/dashboard"
      onRedirecting={<PageStatus>Checking your session…</PageStatus>}
      errorFallback={(error, retry) => <SessionUnknown error={error} retry={retry} />}
    >
      <Dashboard />
    </Protected>
  )
}

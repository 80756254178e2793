import { Link } from '@tanstack/react-router'
import { useUser } from 'bezzie-react'
import { ActiveSessions } from '../components/ActiveSessions.tsx'
import { LoginButton } from '../components/LoginButton.tsx'
import { LogoutButton } from '../components/LogoutButton.tsx'
import { NoticeLayout } from '../components/NoticeLayout.tsx'
import { VerifyNoJwt } from '../components/VerifyNoJwt.tsx'
import { displayName, firstName } from '../first-name.ts'
import { NotesPanel } from '../notes/NotesPanel.tsx'
import { UpstreamResponse } from '../upstream/UpstreamResponse.tsx'
import { useDocumentTitle } from '../useDocumentTitle.ts'

/**
 * The session ended while this page was open (logout in another tab, back-channel logout at the
 * IdP, a 401 from the API): say so, rather than bouncing the user to the IdP unasked.
 */
function SignedOut() {
  useDocumentTitle('Signed out')
  return (
    <NoticeLayout
      data-testid="signed-out-notice"
      eyebrow={<p className="eyebrow">Session ended</p>}
      title="You have been signed out"
      titleId="signed-out-title"
      actions={
        <>
          <LoginButton returnTo="/dashboard" data-testid="signed-out-login-button" />
          <Link to="/" className="button button--ghost">
            Home
          </Link>
        </>
      }
      aside={
        <>
          <h2 className="notice__aside-title">What ended</h2>
          <ul className="notice__steps">
            <li>The Worker deleted the session and its tokens.</li>
            <li>
              Your browser's <code>__Host-session</code> cookie no longer opens anything.
            </li>
            <li>Nothing about you is left in this page or its storage.</li>
          </ul>
        </>
      }
    >
      <p className="notice__lede">
        Your session ended in another tab or at the identity provider. Log in again to get back to
        your dashboard.
      </p>
    </NoticeLayout>
  )
}

/**
 * `/dashboard`: the router's guard (`requireUser`) let only a signed-in user in; a user whose
 * session ends while here is told so instead.
 */
export function DashboardPage() {
  useDocumentTitle('Dashboard')
  const { user } = useUser()
  if (!user) return <SignedOut />
  const name = firstName(user)
  return (
    <div className="dashboard container">
      <div className="dashboard__header">
        <div className="dashboard__intro">
          <p className="eyebrow">Dashboard</p>
          <h1 className="page-title" data-testid="dashboard-greeting">
            {name ? `Hi, ${name}` : 'Hi there'}
          </h1>
          <p className="dashboard__lede">
            You are signed in. This page holds no token — only the Worker does.
          </p>
        </div>
        <section className="card session-card" aria-label="Your session">
          <p className="session-card__label">Signed in as</p>
          <p className="session-card__name">{displayName(user)}</p>
          {typeof user.email === 'string' && <p className="session-card__email">{user.email}</p>}
          <LogoutButton />
        </section>
      </div>
      <div className="dashboard__grid">
        <UpstreamResponse sub={user.sub} />
        <NotesPanel sub={user.sub} />
      </div>
      <ActiveSessions />
      <VerifyNoJwt />
    </div>
  )
}

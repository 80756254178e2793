import { Link } from '@tanstack/react-router'
import { useUser } from 'bezzie-react'
import { HowItWorks } from '../components/HowItWorks.tsx'
import { LoginButton } from '../components/LoginButton.tsx'
import { RequestFlow } from '../components/RequestFlow.tsx'
import { useDocumentTitle } from '../useDocumentTitle.ts'

function PrimaryAction() {
  const { isAuthenticated } = useUser()
  if (isAuthenticated) {
    return (
      <Link to="/dashboard" className="button button--primary" data-testid="hero-dashboard-link">
        Open your dashboard
      </Link>
    )
  }
  return <LoginButton data-testid="login-button" />
}

/** `/`: the hero and the "How it works" cards. */
export function LandingPage() {
  useDocumentTitle(null)
  return (
    <>
      <section className="hero container" aria-labelledby="hero-title">
        <div className="hero__text">
          <p className="eyebrow">BFF OAuth for Hono on Cloudflare Workers</p>
          <h1 id="hero-title" className="hero__title">
            Tokens in the Worker, <span className="gradient-text">not the browser.</span>
          </h1>
          <p className="hero__subtitle">
            Bezzie runs the OAuth 2.0 and OpenID Connect flow inside a Cloudflare Worker, keeps
            access and refresh tokens there, and gives your React app nothing but an HttpOnly
            session cookie. Log in to see it work end to end.
          </p>
          <div className="hero__actions">
            <PrimaryAction />
            <a href="#how-it-works" className="button button--ghost">
              How it works <span aria-hidden="true">↓</span>
            </a>
          </div>
        </div>
        <RequestFlow />
      </section>
      <HowItWorks />
    </>
  )
}

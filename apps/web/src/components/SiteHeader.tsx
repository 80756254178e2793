import { useUser } from 'bezzie-react'
import { displayName } from '../first-name.ts'
import { Link } from '../router/Link.tsx'
import { usePathname } from '../router/usePathname.ts'
import { siteLinks } from '../site-links.ts'
import { LoginButton } from './LoginButton.tsx'
import { WordmarkLogo } from './WordmarkLogo.tsx'

function AccountArea() {
  const { user, isLoading } = useUser()
  const pathname = usePathname()

  // Rendering nothing while `/auth/me` is in flight avoids a Login button flashing for users
  // who are in fact signed in.
  if (isLoading) return <div className="nav__account" aria-hidden="true" />

  if (!user) {
    return (
      <div className="nav__account">
        <LoginButton variant="small" data-testid="nav-login-button" />
      </div>
    )
  }
  return (
    <div className="nav__account">
      <span className="nav__user">
        <span className="visually-hidden">Signed in as </span>
        <span className="nav__avatar" aria-hidden="true">
          {displayName(user).charAt(0).toUpperCase()}
        </span>
        <span data-testid="nav-user-name">{displayName(user)}</span>
      </span>
      {pathname !== '/dashboard' && (
        <Link
          href="/dashboard"
          className="button button--primary button--small"
          data-testid="nav-dashboard-link"
        >
          Dashboard
        </Link>
      )}
    </div>
  )
}

/** The site's top bar: wordmark, outbound links, and who is signed in. */
export function SiteHeader() {
  return (
    <header className="site-header">
      <nav className="nav container" aria-label="Main">
        <Link href="/" className="wordmark" aria-label="bezzie home">
          <WordmarkLogo />
          <span className="wordmark__name">bezzie</span>
        </Link>
        <ul className="nav__links">
          <li>
            <a href={siteLinks.docs}>Docs</a>
          </li>
          <li>
            <a href={siteLinks.github}>GitHub</a>
          </li>
        </ul>
        <AccountArea />
      </nav>
    </header>
  )
}

import { Link } from '@tanstack/react-router'
import { type BezzieUser, useUser } from 'bezzie-react'
import { displayName } from '../first-name.ts'
import { siteLinks } from '../site-links.ts'
import { LoginButton } from './LoginButton.tsx'
import { LogoutButton } from './LogoutButton.tsx'
import { useDisclosure } from './use-disclosure.ts'
import { WordmarkLogo } from './WordmarkLogo.tsx'

function Avatar({ user }: { user: BezzieUser }) {
  return (
    <span className="avatar" aria-hidden="true">
      {displayName(user).charAt(0).toUpperCase()}
    </span>
  )
}

function Chevron() {
  return (
    <svg className="chevron" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="2" />
    </svg>
  )
}

/** Desktop and tablet: the signed-in user's name opens their menu (who, Dashboard, Log out). */
function UserMenu({ user }: { user: BezzieUser }) {
  const menu = useDisclosure<HTMLButtonElement, HTMLDivElement>()
  return (
    <div className="user-menu">
      <button
        type="button"
        className="user-menu__button"
        data-testid="user-menu-button"
        {...menu.buttonProps}
      >
        <Avatar user={user} />
        <span className="visually-hidden">Account: </span>
        <span className="user-menu__name" data-testid="nav-user-name">
          {displayName(user)}
        </span>
        <Chevron />
      </button>
      <div className="user-menu__panel card" data-testid="user-menu" {...menu.panelProps}>
        <div className="user-menu__who">
          <p className="user-menu__who-name">{displayName(user)}</p>
          {typeof user.email === 'string' && <p className="user-menu__who-email">{user.email}</p>}
        </div>
        <ul className="user-menu__items">
          <li>
            <Link to="/dashboard" className="user-menu__item" onClick={menu.close}>
              Dashboard
            </Link>
          </li>
        </ul>
        <div className="user-menu__footer">
          <LogoutButton variant="menu" data-testid="user-menu-logout" />
        </div>
      </div>
    </div>
  )
}

function AccountArea() {
  const { user, isLoading } = useUser()
  // Rendering nothing while `/auth/me` is in flight avoids a Login button flashing for users
  // who are in fact signed in.
  if (isLoading) return <div className="nav__account" aria-hidden="true" />
  return (
    <div className="nav__account">
      {user ? (
        <UserMenu user={user} />
      ) : (
        <LoginButton variant="small" data-testid="nav-login-button" />
      )}
    </div>
  )
}

/** Narrow screens: one Menu button for the links and the account. */
function MobileMenu() {
  const { user } = useUser()
  const menu = useDisclosure<HTMLButtonElement, HTMLDivElement>()
  return (
    <div className="mobile-menu">
      <button
        type="button"
        className="mobile-menu__button"
        data-testid="mobile-menu-button"
        {...menu.buttonProps}
      >
        <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
          {menu.open ? (
            <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" strokeWidth="2" />
          ) : (
            <path d="M3 6h14M3 10h14M3 14h14" stroke="currentColor" strokeWidth="2" />
          )}
        </svg>
        Menu
      </button>
      <div className="mobile-menu__panel" data-testid="mobile-menu" {...menu.panelProps}>
        <ul className="mobile-menu__links">
          <li>
            <Link to="/" onClick={menu.close}>
              Home
            </Link>
          </li>
          {user && (
            <li>
              <Link to="/dashboard" onClick={menu.close}>
                Dashboard
              </Link>
            </li>
          )}
          <li>
            <a href={siteLinks.docs}>Docs</a>
          </li>
          <li>
            <a href={siteLinks.github}>GitHub</a>
          </li>
        </ul>
        <div className="mobile-menu__account">
          {user ? (
            <>
              <p className="mobile-menu__who">
                <Avatar user={user} />
                <span>
                  <span className="visually-hidden">Signed in as </span>
                  {displayName(user)}
                </span>
              </p>
              <LogoutButton data-testid="mobile-menu-logout" />
            </>
          ) : (
            <LoginButton data-testid="mobile-login-button" />
          )}
        </div>
      </div>
    </div>
  )
}

/** The site's top bar: wordmark, outbound links, who is signed in, and a menu on phones. */
export function SiteHeader() {
  return (
    <header className="site-header">
      <nav className="nav container" aria-label="Main">
        <Link to="/" className="wordmark" aria-label="bezzie home">
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
        <MobileMenu />
      </nav>
    </header>
  )
}

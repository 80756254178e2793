import { useLogout } from 'bezzie-react'
import { useState } from 'react'

/**
 * Logs out with a real POST navigation to the BFF's `/auth/logout` (bezzie-react's `useLogout()`),
 * which ends the session, revokes the refresh token and continues to the IdP's logout.
 */
export function LogoutButton({
  variant = 'button',
  'data-testid': testId = 'logout-button',
}: {
  /** `button` is the page's secondary button, `menu` an item of the user menu. */
  variant?: 'button' | 'menu'
  'data-testid'?: string
}) {
  const logout = useLogout()
  const [leaving, setLeaving] = useState(false)
  return (
    <button
      type="button"
      className={
        variant === 'menu' ? 'user-menu__item user-menu__logout' : 'button button--secondary'
      }
      data-testid={testId}
      disabled={leaving}
      aria-busy={leaving}
      onClick={() => {
        setLeaving(true)
        logout()
      }}
    >
      {leaving ? 'Logging out…' : 'Log out'}
    </button>
  )
}

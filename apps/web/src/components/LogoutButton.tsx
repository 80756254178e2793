import { useLogout } from 'bezzie-react'
import { useState } from 'react'

/**
 * Logs out with a real POST navigation to the BFF's `/auth/logout` (bezzie-react's `useLogout()`),
 * which ends the session, revokes the refresh token and continues to the IdP's logout.
 */
export function LogoutButton() {
  const logout = useLogout()
  const [leaving, setLeaving] = useState(false)
  return (
    <button
      type="button"
      className="button button--secondary"
      data-testid="logout-button"
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

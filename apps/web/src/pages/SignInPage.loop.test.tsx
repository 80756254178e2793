import { cleanup, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from '../../test/render-app.tsx'

describe('a login that came back signed out', () => {
  it('login loop: the guard starts one login, then shows the sign-in page instead of a second', async () => {
    const first = renderApp({ path: '/dashboard', user: null })
    await waitFor(() => expect(first.navigate).toHaveBeenCalledTimes(1))
    cleanup()

    // Back from the IdP, still without a session (say the browser refused the cookie).
    const second = renderApp({ path: '/dashboard', user: null })
    const page = await screen.findByTestId('sign-in-page')
    expect(page.textContent).toContain('The sign-in did not complete')
    expect(screen.getByTestId('auth-error-code').textContent).toBe('login_not_completed')
    expect(second.navigate).not.toHaveBeenCalled()
  })
})

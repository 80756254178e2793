import { fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from '../../test/render-app.tsx'

// One page load per file: bezzie-react reads ?auth_error= once per load.
describe('a cancelled login (?auth_error=access_denied)', () => {
  it('login loop: shows "You did not sign in" instead of going back to the IdP, and retries only on a click', async () => {
    const { navigate } = renderApp({
      path: '/dashboard?auth_error=access_denied#notes',
      user: null,
    })
    const page = await screen.findByTestId('sign-in-page')
    expect(page.textContent).toContain('You did not sign in')
    expect(screen.getByTestId('auth-error-code').textContent).toBe('access_denied')
    expect(navigate).not.toHaveBeenCalled()
    expect(window.location.search).not.toContain('auth_error')

    fireEvent.click(screen.getByTestId('sign-in-retry'))
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
    const url = new URL(String(navigate.mock.calls[0]?.[0]), 'http://localhost')
    expect(url.searchParams.get('returnTo')).toBe('/dashboard#notes')
  })
})

import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import type { AuthError } from '../src/auth-error.ts'
import { readAuthError, withoutAuthError } from '../src/auth-error.ts'
import { recordLoginAttempt } from '../src/lib/login-attempt.ts'
import { Protected } from '../src/protected.tsx'
import { useAuthError } from '../src/use-auth-error.ts'
import { appFetch } from './support/app-fetch.ts'
import { createBff } from './support/bff.ts'
import { renderWithBezzie } from './support/render.tsx'

function returnToOf(url: unknown): string | null {
  return new URL(String(url), 'http://localhost').searchParams.get('returnTo')
}

const errorSlot = (error: AuthError, retry: () => void) => (
  <div>
    <p data-testid="code">{error.code}</p>
    <p>{error.message}</p>
    <button type="button" onClick={retry}>
      Try again
    </button>
  </div>
)

function page() {
  return (
    <Protected onRedirecting={<p>checking session</p>} authErrorFallback={errorSlot}>
      <p>secret dashboard</p>
    </Protected>
  )
}

function Banner() {
  const error = useAuthError()
  if (error === null) return <p>no error</p>
  return (
    <button type="button" onClick={error.dismiss}>
      {error.code}
    </button>
  )
}

describe('auth_error from the BFF', () => {
  it('login loop: a cancelled login (?auth_error=access_denied) is shown, never restarted by itself', async () => {
    window.history.replaceState(null, '', '/dashboard?tab=2&auth_error=access_denied#notes')
    const navigate = vi.fn()
    renderWithBezzie(page(), { fetch: appFetch(createBff().app).fetch, navigate })

    expect((await screen.findByTestId('code')).textContent).toBe('access_denied')
    expect(screen.getByText('The sign-in was cancelled or refused.')).toBeTruthy()
    // Taken out of the address bar; the rest of the URL, fragment included, kept.
    expect(window.location.pathname + window.location.search + window.location.hash).toBe(
      '/dashboard?tab=2#notes',
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(navigate).not.toHaveBeenCalled()

    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(navigate).toHaveBeenCalledTimes(1)
    expect(returnToOf(navigate.mock.calls[0]?.[0])).toBe('/dashboard?tab=2#notes')
  })

  it('login loop: a login that came back still signed out, without a code, is not started again', async () => {
    window.history.replaceState(null, '', '/dashboard')
    const bff = createBff()
    const first = vi.fn()
    const view = renderWithBezzie(page(), { fetch: appFetch(bff.app).fetch, navigate: first })
    await waitFor(() => expect(first).toHaveBeenCalledTimes(1))
    view.unmount()

    // Back from the IdP, but the session cookie never stuck (the browser refused it).
    const second = vi.fn()
    renderWithBezzie(page(), { fetch: appFetch(bff.app).fetch, navigate: second })
    expect((await screen.findByTestId('code')).textContent).toBe('login_not_completed')
    expect(second).not.toHaveBeenCalled()
  })

  it('starts the login again once the two-minute window has passed', async () => {
    window.history.replaceState(null, '', '/dashboard')
    recordLoginAttempt('/auth', Date.now() - 121_000)
    const navigate = vi.fn()
    renderWithBezzie(page(), { fetch: appFetch(createBff().app).fetch, navigate })
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
  })

  it('forgets the attempt once a user is signed in, so a later logout-then-visit logs in again', async () => {
    window.history.replaceState(null, '', '/dashboard')
    const bff = createBff()
    recordLoginAttempt('/auth')
    const jar = await bff.seedSession({ sub: 'alice' })
    const view = renderWithBezzie(page(), { fetch: appFetch(bff.app, jar).fetch })
    expect(await screen.findByText('secret dashboard')).toBeTruthy()
    view.unmount()

    const navigate = vi.fn()
    renderWithBezzie(page(), { fetch: appFetch(bff.app).fetch, navigate })
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
  })

  it('open redirect / markup injection: a crafted auth_error is ignored or shown as idp_error text', async () => {
    expect(readAuthError('?auth_error=<img src=x onerror=alert(1)>')).toBeNull()
    expect(readAuthError('?auth_error=')).toBeNull()
    expect(readAuthError('?auth_error=made_up_code')).toEqual({
      code: 'idp_error',
      message: 'The identity provider could not complete the sign-in.',
    })
    expect(readAuthError('?auth_error=toString')).toBeNull()
    expect(readAuthError('?auth_error=constructor')?.code).toBe('idp_error')

    // A malformed value does not stop the login of a visitor who is simply signed out.
    window.history.replaceState(null, '', '/dashboard?auth_error=%3Cb%3E')
    const navigate = vi.fn()
    renderWithBezzie(page(), { fetch: appFetch(createBff().app).fetch, navigate })
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
    expect(returnToOf(navigate.mock.calls[0]?.[0])).toBe('/dashboard')
  })

  it('shows `fallback` for an auth error when no authErrorFallback is given', async () => {
    window.history.replaceState(null, '', '/dashboard?auth_error=login_required')
    const navigate = vi.fn()
    renderWithBezzie(
      <Protected fallback={<p>please sign in</p>}>
        <p>secret dashboard</p>
      </Protected>,
      { fetch: appFetch(createBff().app).fetch, navigate },
    )
    expect(await screen.findByText('please sign in')).toBeTruthy()
    expect(navigate).not.toHaveBeenCalled()
  })

  it('useAuthError() reads the error without a provider and dismiss() hides it', async () => {
    window.history.replaceState(null, '', '/?auth_error=temporarily_unavailable&x=1')
    render(<Banner />)
    const button = await screen.findByRole('button', { name: 'temporarily_unavailable' })
    expect(window.location.search).toBe('?x=1')
    fireEvent.click(button)
    expect(await screen.findByText('no error')).toBeTruthy()
  })

  it('withoutAuthError keeps the path, the other parameters and the fragment', () => {
    expect(withoutAuthError('/a/b?auth_error=x&y=1&auth_error=z#frag')).toBe('/a/b?y=1#frag')
    expect(withoutAuthError('https://app.example/a?auth_error=x')).toBe('/a')
  })
})

describe('#fragment through login', () => {
  it('sends the current path, query and fragment as returnTo', async () => {
    window.history.replaceState(null, '', '/docs/page?v=2#section-3')
    const navigate = vi.fn()
    renderWithBezzie(page(), { fetch: appFetch(createBff().app).fetch, navigate })
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
    expect(returnToOf(navigate.mock.calls[0]?.[0])).toBe('/docs/page?v=2#section-3')
  })
})

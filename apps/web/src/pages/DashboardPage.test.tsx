import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { userQueryKey } from 'bezzie-react'
import { describe, expect, it, vi } from 'vitest'
import { alice, renderApp, upstreamMe } from '../../test/render-app.tsx'

describe('dashboard page', () => {
  it('greets the user by given_name and shows the upstream JSON with its explanation', async () => {
    renderApp({ path: '/dashboard', user: alice })
    expect((await screen.findByTestId('dashboard-greeting')).textContent).toBe('Hi, Alice')
    const block = await screen.findByTestId('upstream-json')
    expect(JSON.parse(block.textContent ?? '')).toEqual(upstreamMe)
    expect(block.textContent).toContain('"receivedAuthorization": true')
    expect(screen.getByTestId('upstream-token-type').textContent).toMatch(
      /Token type sent upstream: DPoP — bound to the Worker’s key/,
    )
    expect(screen.getByRole('note').textContent).toMatch(/injected by the Worker/)
    expect(screen.getByRole('note').textContent).toContain('Authorization: DPoP …')
    expect(screen.queryByTestId('upstream-error')).toBeNull()
    expect(document.title).toBe('Dashboard · bezzie')
  })

  it('says so when the Worker sent a bearer token', async () => {
    renderApp({
      path: '/dashboard',
      user: alice,
      upstream: { status: 200, body: { ...upstreamMe, tokenType: 'Bearer' } },
    })
    expect((await screen.findByTestId('upstream-token-type')).textContent).toMatch(
      /Token type sent upstream: Bearer — whoever holds a copy can use it/,
    )
    expect(screen.getByRole('note').textContent).toContain('Authorization: Bearer …')
  })

  it('greets by the first word of name when the IdP sent no given_name', async () => {
    renderApp({ path: '/dashboard', user: { sub: 'bob', name: 'Bob  Marley' } })
    expect((await screen.findByTestId('dashboard-greeting')).textContent).toBe('Hi, Bob')
  })

  it('calls /api/me with the session cookie and X-CSRF, never with an Authorization header', async () => {
    const { requests } = renderApp({ path: '/dashboard', user: alice })
    await screen.findByTestId('upstream-json')
    const call = requests.find((request) => request.pathname === '/api/me')
    expect(call?.method).toBe('GET')
    expect(call?.credentials).toBe('same-origin')
    expect(call?.headers.get('x-csrf')).toBe('1')
    expect(call?.headers.has('authorization')).toBe(false)
  })

  it('shows an error callout, and no JSON, when the upstream call fails', async () => {
    renderApp({
      path: '/dashboard',
      user: alice,
      upstream: { status: 502, body: { error: 'upstream_unavailable', message: 'upstream down' } },
    })
    const callout = await screen.findByTestId('upstream-error')
    expect(callout.getAttribute('role')).toBe('alert')
    expect(callout.textContent).toContain('HTTP 502')
    expect(callout.textContent).toContain('upstream down')
    expect(screen.queryByTestId('upstream-json')).toBeNull()
    expect(screen.getByTestId('dashboard-greeting').textContent).toBe('Hi, Alice')
  })

  it('calls the upstream again on "Call again"', async () => {
    const { requests } = renderApp({ path: '/dashboard', user: alice })
    await screen.findByTestId('upstream-json')
    fireEvent.click(screen.getByTestId('upstream-refetch'))
    await waitFor(() =>
      expect(requests.filter((request) => request.pathname === '/api/me')).toHaveLength(2),
    )
  })

  it('sends an anonymous visitor to the login, to come back to /dashboard', async () => {
    const { navigate } = renderApp({ path: '/dashboard', user: null })
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/auth/login?returnTo=%2Fdashboard'))
    expect(navigate).toHaveBeenCalledTimes(1)
    expect(screen.queryByTestId('dashboard-greeting')).toBeNull()
    expect(screen.queryByTestId('upstream-json')).toBeNull()
  })

  it('treats a 401 from the API as logged out: says so, without sending the user to the IdP', async () => {
    const { navigate } = renderApp({
      path: '/dashboard',
      user: alice,
      upstream: { status: 401, body: { error: 'unauthorized' } },
    })
    expect(await screen.findByTestId('signed-out-notice')).toBeTruthy()
    expect(screen.queryByTestId('dashboard-greeting')).toBeNull()
    expect(screen.queryByTestId('nav-user-name')).toBeNull()
    expect(navigate).not.toHaveBeenCalled()

    fireEvent.click(screen.getByTestId('signed-out-login-button'))
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/auth/login?returnTo=%2Fdashboard'))
  })

  it('says "signed out" when the session ends while the dashboard is open (another tab logged out)', async () => {
    const { navigate, queryClient } = renderApp({ path: '/dashboard', user: alice })
    await screen.findByTestId('dashboard-greeting')

    // What bezzie-react does when another tab reports a logout or /auth/me turns null on focus.
    act(() => queryClient.setQueryData(userQueryKey('/auth'), { user: null, session: null }))

    expect(await screen.findByTestId('signed-out-notice')).toBeTruthy()
    expect(screen.queryByTestId('dashboard-greeting')).toBeNull()
    expect(navigate).not.toHaveBeenCalled()
  })

  it('keeps the #fragment of a deep link through the login', async () => {
    const { navigate } = renderApp({ path: '/dashboard?tab=2#notes', user: null })
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
    const url = new URL(String(navigate.mock.calls[0]?.[0]), 'http://localhost')
    expect(url.searchParams.get('returnTo')).toBe('/dashboard?tab=2#notes')
  })

  it('lists the notes and adds one with a POST through the BFF, X-CSRF included', async () => {
    const { requests } = renderApp({ path: '/dashboard', user: alice })
    expect(await screen.findByTestId('notes-empty')).toBeTruthy()
    fireEvent.change(screen.getByLabelText('New note'), { target: { value: 'Tokens stay put' } })
    fireEvent.click(screen.getByTestId('note-add'))
    const list = await screen.findByTestId('notes-list')
    expect(list.textContent).toContain('Tokens stay put')
    const post = requests.find((r) => r.pathname === '/api/notes' && r.method === 'POST')
    expect(post?.headers.get('x-csrf')).toBe('1')
    expect(post?.headers.get('content-type')).toBe('application/json')
    expect(post?.headers.has('authorization')).toBe(false)
    expect(JSON.parse(String(post?.body))).toEqual({ text: 'Tokens stay put' })
    expect((screen.getByLabelText('New note') as HTMLInputElement).value).toBe('')
  })

  it('says so when the upstream refuses a note, and keeps what was typed', async () => {
    renderApp({ path: '/dashboard', user: alice, addNoteFailsWith: 400 })
    await screen.findByTestId('notes-empty')
    fireEvent.change(screen.getByLabelText('New note'), { target: { value: 'x' } })
    fireEvent.click(screen.getByTestId('note-add'))
    expect((await screen.findByTestId('note-error')).textContent).toContain('HTTP 400')
    expect((screen.getByLabelText('New note') as HTMLInputElement).value).toBe('x')
  })

  it('keeps the query string of a deep link as the returnTo of the login', async () => {
    const { navigate } = renderApp({ path: '/dashboard?tab=2', user: null })
    await waitFor(() =>
      expect(navigate).toHaveBeenCalledWith('/auth/login?returnTo=%2Fdashboard%3Ftab%3D2'),
    )
  })

  it('reports a failing /auth/me as "could not check", neither logged in nor sent to the IdP', async () => {
    const { navigate, requests } = renderApp({ path: '/dashboard', meFailsWith: 503 })
    const error = await screen.findByTestId('session-error')
    expect(error.textContent).toContain('Could not check your session')
    expect(navigate).not.toHaveBeenCalled()
    expect(requests.some((request) => request.pathname === '/api/me')).toBe(false)

    const before = requests.length
    fireEvent.click(within(error).getByRole('button', { name: 'Try again' }))
    await waitFor(() => expect(requests.length).toBeGreaterThan(before))
  })

  it('logs out with a POST form submission to /auth/logout', async () => {
    const submit = vi.spyOn(HTMLFormElement.prototype, 'submit').mockImplementation(() => {})
    renderApp({ path: '/dashboard', user: alice })
    const button = await screen.findByTestId('logout-button')

    fireEvent.click(button)

    expect(submit).toHaveBeenCalledTimes(1)
    const form = submit.mock.contexts[0] as HTMLFormElement
    expect(form.method.toUpperCase()).toBe('POST')
    expect(new URL(form.action, window.location.href).pathname).toBe('/auth/logout')
    expect(button.textContent).toBe('Logging out…')
  })

  it('explains where DevTools shows that no JWT is in the browser', async () => {
    renderApp({ path: '/dashboard', user: alice })
    const details = await screen.findByTestId('verify-no-jwt')
    expect(details.tagName).toBe('DETAILS')
    const summary = within(details).getByText('Verify: no JWT in your browser')
    expect(summary.closest('summary')).toBeTruthy()
    expect(details.textContent).toContain('Application → Cookies')
    expect(details.textContent).toContain('__Host-session')
    expect(details.textContent).toContain('HttpOnly')
    expect(details.textContent).toMatch(/no Authorization header/)
  })
})

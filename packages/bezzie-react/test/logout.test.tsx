import { fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { logout } from '../src/logout.ts'
import { useLogout } from '../src/use-logout.ts'
import { appFetch } from './support/app-fetch.ts'
import { createBff } from './support/bff.ts'
import { renderWithBezzie } from './support/render.tsx'

function captureSubmits() {
  const submitted: HTMLFormElement[] = []
  vi.spyOn(HTMLFormElement.prototype, 'submit').mockImplementation(function (
    this: HTMLFormElement,
  ) {
    submitted.push(this)
  })
  return submitted
}

function LogoutButton() {
  const logout = useLogout()
  return (
    <button type="button" onClick={() => logout()}>
      log out
    </button>
  )
}

describe('logout', () => {
  it('submits a POST form to {basePath}/logout (a top-level navigation, not a fetch)', () => {
    const submitted = captureSubmits()
    logout({ basePath: '/auth' })
    expect(submitted).toHaveLength(1)
    const form = submitted[0] as HTMLFormElement
    expect(form.method.toLowerCase()).toBe('post')
    expect(new URL(form.action).pathname).toBe('/auth/logout')
    expect(form.isConnected).toBe(true)
  })

  it('carries returnTo in the query of the POST', () => {
    const submitted = captureSubmits()
    logout({ returnTo: '/bye' })
    const action = new URL((submitted[0] as HTMLFormElement).action)
    expect(action.pathname).toBe('/auth/logout')
    expect(action.searchParams.get('returnTo')).toBe('/bye')
  })

  it('useLogout posts to the provider base path', () => {
    const submitted = captureSubmits()
    renderWithBezzie(<LogoutButton />, { basePath: '/session', initialUser: null })
    fireEvent.click(screen.getByRole('button', { name: 'log out' }))
    expect(new URL((submitted[0] as HTMLFormElement).action).pathname).toBe('/session/logout')
  })

  /** Submits `logout(options)` and replays the form to the BFF as a browser sends it. */
  async function submitLogoutTo(bff: ReturnType<typeof createBff>, cookie: string, options = {}) {
    const submitted = captureSubmits()
    logout(options)
    const form = submitted[0] as HTMLFormElement
    const action = new URL(form.action)
    // What a browser sends for a same-origin form POST: Origin, Fetch Metadata, the cookie, and
    // no custom header (a form cannot send one).
    const request = new Request(action, {
      method: form.method.toUpperCase(),
      headers: {
        origin: action.origin,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
    })
    request.headers.set('sec-fetch-site', 'same-origin')
    request.headers.set('cookie', cookie)
    expect(request.headers.has('x-csrf')).toBe(false)
    return bff.app.fetch(request)
  }

  function withoutIdp() {
    // No IdP in these tests: its discovery fails at once, so the BFF sends the browser straight
    // to the post-logout URL instead of the IdP's end_session endpoint.
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('no IdP in this test')
    })
  }

  it('the submitted form logs out at a real BFF that requires the X-CSRF header on API calls', async () => {
    withoutIdp()
    const bff = createBff({ requireCsrfHeader: true })
    const jar = await bff.seedSession({ sub: 'alice' })
    const response = await submitLogoutTo(bff, jar.cookie)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('http://localhost/')
    const me = await appFetch(bff.app, jar).fetch('/auth/me')
    expect(await me.json()).toEqual({ user: null })
  })

  it('lands on returnTo after logout at the real BFF', async () => {
    withoutIdp()
    const bff = createBff({ requireCsrfHeader: true })
    const jar = await bff.seedSession({ sub: 'alice' })
    const response = await submitLogoutTo(bff, jar.cookie, { returnTo: '/bye?x=1' })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('http://localhost/bye?x=1')
  })

  it('an absolute returnTo cannot turn logout into an open redirect', async () => {
    withoutIdp()
    const bff = createBff({ requireCsrfHeader: true })
    const jar = await bff.seedSession({ sub: 'alice' })
    const response = await submitLogoutTo(bff, jar.cookie, { returnTo: 'https://evil.example/' })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('http://localhost/')
  })

  it('useLogout outside a provider says what to do', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<LogoutButton />)).toThrow(/inside <BezzieProvider>/)
  })
})

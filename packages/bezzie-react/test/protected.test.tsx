import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { Protected } from '../src/protected.tsx'
import { appFetch } from './support/app-fetch.ts'
import { createBff } from './support/bff.ts'
import { renderWithBezzie } from './support/render.tsx'

const page = (
  <Protected onRedirecting={<p>checking session</p>}>
    <p>secret dashboard</p>
  </Protected>
)

describe('<Protected>', () => {
  it('renders its children for a signed-in user', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    const navigate = vi.fn()
    renderWithBezzie(page, { fetch: appFetch(bff.app, jar).fetch, navigate })
    expect(screen.getByText('checking session')).toBeTruthy()
    expect(await screen.findByText('secret dashboard')).toBeTruthy()
    expect(navigate).not.toHaveBeenCalled()
  })

  it('redirects to login with the current path and query as returnTo', async () => {
    window.history.pushState({}, '', '/dashboard?tab=tokens&x=1')
    const bff = createBff()
    const navigate = vi.fn()
    renderWithBezzie(page, { fetch: appFetch(bff.app).fetch, navigate })
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
    const url = new URL(navigate.mock.calls[0]?.[0] as string, 'http://localhost')
    expect(url.pathname).toBe('/auth/login')
    expect(url.searchParams.get('returnTo')).toBe('/dashboard?tab=tokens&x=1')
    expect(screen.getByText('checking session')).toBeTruthy()
    expect(screen.queryByText('secret dashboard')).toBeNull()
  })

  it('uses an explicit returnTo', async () => {
    const navigate = vi.fn()
    renderWithBezzie(
      <Protected returnTo="/after">
        <p>secret dashboard</p>
      </Protected>,
      { fetch: appFetch(createBff().app).fetch, navigate },
    )
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('/auth/login?returnTo=%2Fafter'))
  })

  it('renders the fallback instead of redirecting when one is given', async () => {
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

  it('neither redirects nor shows the children when the session cannot be read', async () => {
    const backend = appFetch(createBff().app)
    backend.goOffline()
    const navigate = vi.fn()
    renderWithBezzie(
      <Protected errorFallback={(error) => <p>cannot reach the server: {error.message}</p>}>
        <p>secret dashboard</p>
      </Protected>,
      { fetch: backend.fetch, navigate },
    )
    expect(await screen.findByText('cannot reach the server: Failed to fetch')).toBeTruthy()
    expect(navigate).not.toHaveBeenCalled()
    expect(screen.queryByText('secret dashboard')).toBeNull()
  })
})

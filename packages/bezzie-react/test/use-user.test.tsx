import { fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useUser } from '../src/use-user.ts'
import { appFetch } from './support/app-fetch.ts'
import { createBff } from './support/bff.ts'
import { renderWithBezzie } from './support/render.tsx'

function UserStatus() {
  const { user, isLoading, isAuthenticated, error } = useUser()
  if (isLoading) return <p>loading</p>
  if (error) return <p>error: {error.message}</p>
  return <p>{isAuthenticated ? `signed in as ${user?.name}` : 'signed out'}</p>
}

function RecheckButton() {
  const { invalidate } = useUser()
  return (
    <button type="button" onClick={() => void invalidate()}>
      recheck
    </button>
  )
}

describe('useUser', () => {
  it('is loading, then authenticated with the session user', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice', name: 'Alice' })
    const { fetch } = appFetch(bff.app, jar)
    renderWithBezzie(<UserStatus />, { fetch })
    expect(screen.getByText('loading')).toBeTruthy()
    expect(await screen.findByText('signed in as Alice')).toBeTruthy()
  })

  it('is unauthenticated without a session', async () => {
    const bff = createBff()
    const { fetch } = appFetch(bff.app)
    renderWithBezzie(<UserStatus />, { fetch })
    expect(await screen.findByText('signed out')).toBeTruthy()
  })

  it('reports a network failure as an error, not as logged out, and does not redirect', async () => {
    const bff = createBff()
    const backend = appFetch(bff.app)
    backend.goOffline()
    const navigate = vi.fn()
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch, navigate })
    expect(await screen.findByText('error: Failed to fetch')).toBeTruthy()
    expect(navigate).not.toHaveBeenCalled()
    // Two retries for a network failure.
    expect(backend.count('/auth/me')).toBe(3)
  })

  it('reports a 5xx as an error without retrying forever', async () => {
    const backend = {
      fetch: vi.fn(async () => new Response('upstream down', { status: 503 })),
    }
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
    expect(await screen.findByText('error: GET /auth/me failed with HTTP 503')).toBeTruthy()
    expect(backend.fetch).toHaveBeenCalledTimes(3)
  })

  it('does not retry a 4xx other than 401', async () => {
    const backend = { fetch: vi.fn(async () => new Response('nope', { status: 403 })) }
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
    expect(await screen.findByText('error: GET /auth/me failed with HTTP 403')).toBeTruthy()
    expect(backend.fetch).toHaveBeenCalledTimes(1)
  })

  it('treats a 401 from /me as logged out', async () => {
    const backend = { fetch: vi.fn(async () => new Response(null, { status: 401 })) }
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
    expect(await screen.findByText('signed out')).toBeTruthy()
  })

  it('sends same-origin credentials to /me', async () => {
    const bff = createBff()
    const backend = appFetch(bff.app)
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
    await screen.findByText('signed out')
    expect(backend.requests[0]?.credentials).toBe('same-origin')
  })

  it('revalidates when the window regains focus', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice', name: 'Alice' })
    const backend = appFetch(bff.app, jar)
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
    await screen.findByText('signed in as Alice')
    await bff.endSessions()
    window.dispatchEvent(new Event('visibilitychange'))
    expect(await screen.findByText('signed out')).toBeTruthy()
    expect(backend.count('/auth/me')).toBe(2)
  })

  it('revalidates when the network comes back', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice', name: 'Alice' })
    const backend = appFetch(bff.app, jar)
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
    await screen.findByText('signed in as Alice')
    await bff.endSessions()
    window.dispatchEvent(new Event('offline'))
    window.dispatchEvent(new Event('online'))
    expect(await screen.findByText('signed out')).toBeTruthy()
  })

  it('does not poll', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    try {
      const bff = createBff()
      const backend = appFetch(bff.app)
      renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
      await screen.findByText('signed out')
      await vi.advanceTimersByTimeAsync(10 * 60_000)
      expect(backend.count('/auth/me')).toBe(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('starts from initialUser without a request', async () => {
    const backend = { fetch: vi.fn(async () => new Response(null, { status: 500 })) }
    renderWithBezzie(<UserStatus />, {
      fetch: backend.fetch,
      initialUser: { sub: 'bob', name: 'Bob' },
    })
    expect(screen.getByText('signed in as Bob')).toBeTruthy()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(backend.fetch).not.toHaveBeenCalled()
  })

  it('invalidate() reads /me again', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice', name: 'Alice' })
    const backend = appFetch(bff.app, jar)
    renderWithBezzie(
      <>
        <UserStatus />
        <RecheckButton />
      </>,
      { fetch: backend.fetch },
    )
    await screen.findByText('signed in as Alice')
    await bff.endSessions()
    fireEvent.click(screen.getByRole('button', { name: 'recheck' }))
    await waitFor(() => expect(screen.getByText('signed out')).toBeTruthy())
  })

  it('fails loudly outside <BezzieProvider>', async () => {
    const { render } = await import('@testing-library/react')
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => render(<UserStatus />)).toThrow(/useUser\(\) must be used inside <BezzieProvider>/)
  })
})

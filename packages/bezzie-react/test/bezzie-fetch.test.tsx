import { QueryClient } from '@tanstack/react-query'
import { fireEvent, screen } from '@testing-library/react'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { bezzieFetch } from '../src/bezzie-fetch.ts'
import { useBezzieFetch } from '../src/use-bezzie-fetch.ts'
import { useUser } from '../src/use-user.ts'
import { userQueryKey } from '../src/user-query-options.ts'
import { appFetch } from './support/app-fetch.ts'
import { createBff } from './support/bff.ts'
import { renderWithBezzie } from './support/render.tsx'

function ApiPanel({ redirectToLogin = false }: { redirectToLogin?: boolean }) {
  const { isAuthenticated, isLoading } = useUser()
  const apiFetch = useBezzieFetch({ redirectToLogin })
  const [result, setResult] = useState('')
  if (isLoading) return <p>loading</p>
  return (
    <>
      <p>{isAuthenticated ? 'signed in' : 'signed out'}</p>
      <button
        type="button"
        onClick={async () => setResult(String((await apiFetch('/api/data')).status))}
      >
        load
      </button>
      <p>status {result}</p>
    </>
  )
}

describe('bezzieFetch', () => {
  it('sends the CSRF header and same-origin credentials', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    const backend = appFetch(bff.app, jar)
    const response = await bezzieFetch('/api/data', { method: 'POST' }, { fetch: backend.fetch })
    // The BFF is configured with `csrf.requireHeader: 'X-CSRF'`: a 200 means the header passed.
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true, sub: 'alice' })
    expect(backend.requests[0]?.headers.get('x-csrf')).toBe('1')
    expect(backend.requests[0]?.credentials).toBe('same-origin')
  })

  it('keeps a caller-chosen credentials mode and headers', async () => {
    const backend = appFetch(createBff().app)
    await bezzieFetch(
      '/api/data',
      { credentials: 'include', headers: { 'x-trace': 'abc' } },
      { fetch: backend.fetch },
    )
    expect(backend.requests[0]?.credentials).toBe('include')
    expect(backend.requests[0]?.headers.get('x-trace')).toBe('abc')
    expect(backend.requests[0]?.headers.get('x-csrf')).toBe('1')
  })

  it('marks the user logged out in the given QueryClient on a 401', async () => {
    const queryClient = new QueryClient()
    queryClient.setQueryData(userQueryKey('/auth'), { user: { sub: 'alice' }, session: null })
    const response = await bezzieFetch(
      '/api/data',
      {},
      { fetch: appFetch(createBff().app).fetch, queryClient },
    )
    expect(response.status).toBe(401)
    expect(queryClient.getQueryData(userQueryKey('/auth'))).toEqual({ user: null, session: null })
  })

  it('leaves the user alone when the request fails on the network', async () => {
    const queryClient = new QueryClient()
    const signedIn = { user: { sub: 'alice' }, session: null }
    queryClient.setQueryData(userQueryKey('/auth'), signedIn)
    const backend = appFetch(createBff().app)
    backend.goOffline()
    await expect(
      bezzieFetch('/api/data', {}, { fetch: backend.fetch, queryClient }),
    ).rejects.toThrow('Failed to fetch')
    expect(queryClient.getQueryData(userQueryKey('/auth'))).toEqual(signedIn)
  })

  it('useBezzieFetch flips useUser to logged out when the API answers 401', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    const navigate = vi.fn()
    renderWithBezzie(<ApiPanel />, { fetch: appFetch(bff.app, jar).fetch, navigate })
    await screen.findByText('signed in')
    // The session ends server-side (expiry, back-channel logout) while the page is open.
    await bff.endSessions()
    fireEvent.click(screen.getByRole('button', { name: 'load' }))
    expect(await screen.findByText('status 401')).toBeTruthy()
    expect(screen.getByText('signed out')).toBeTruthy()
    expect(navigate).not.toHaveBeenCalled()
  })

  it('useBezzieFetch({ redirectToLogin: true }) also goes to login on a 401', async () => {
    window.history.pushState({}, '', '/reports?q=1')
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    const navigate = vi.fn()
    renderWithBezzie(<ApiPanel redirectToLogin />, {
      fetch: appFetch(bff.app, jar).fetch,
      navigate,
    })
    await screen.findByText('signed in')
    await bff.endSessions()
    fireEvent.click(screen.getByRole('button', { name: 'load' }))
    await screen.findByText('status 401')
    expect(navigate).toHaveBeenCalledWith('/auth/login?returnTo=%2Freports%3Fq%3D1')
  })
})

import { fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useSessions } from '../src/use-sessions.ts'
import { useUser } from '../src/use-user.ts'
import { appFetch } from './support/app-fetch.ts'
import { createBff } from './support/bff.ts'
import { renderWithBezzie } from './support/render.tsx'

function Devices() {
  const { isAuthenticated } = useUser()
  const { sessions, isLoading, revoke, revokeOthers } = useSessions()
  if (isLoading) return <p>loading</p>
  return (
    <>
      <p>{isAuthenticated ? 'signed in' : 'signed out'}</p>
      <p>{sessions.length} devices</p>
      <ul>
        {sessions.map((s) => (
          <li key={s.id}>
            {s.device}
            {s.current ? ' (this device)' : ''}
            <button type="button" onClick={() => revoke(s.id)}>
              sign out {s.current ? 'this device' : s.id}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => revokeOthers()}>
        sign out all other devices
      </button>
    </>
  )
}

describe('useSessions (against the real BFF routes in-process)', () => {
  it('lists the devices, marks this one, and signs another out', async () => {
    const bff = createBff()
    const laptop = await bff.seedSession({ sub: 'alice' })
    const phone = await bff.seedSession({ sub: 'alice' })
    const backend = appFetch(bff.app, laptop)
    renderWithBezzie(<Devices />, { fetch: backend.fetch })
    expect(await screen.findByText('2 devices')).toBeTruthy()
    expect(screen.getByText(/\(this device\)/)).toBeTruthy()
    const other = screen
      .getAllByRole('button', { name: /^sign out / })
      .find((b) => !b.textContent?.includes('this device')) as HTMLElement
    fireEvent.click(other)
    expect(await screen.findByText('1 devices')).toBeTruthy()
    // The revoke carried the CSRF header, and the phone's session is really gone.
    const post = backend.requests.find((r) => r.url === '/auth/sessions/revoke')
    expect(post?.headers.get('x-csrf')).toBe('1')
    const phoneFetch = appFetch(bff.app, phone)
    expect((await phoneFetch.fetch('/api/data')).status).toBe(401)
  })

  it('signing this device out logs the page out', async () => {
    const bff = createBff()
    const laptop = await bff.seedSession({ sub: 'alice' })
    renderWithBezzie(<Devices />, { fetch: appFetch(bff.app, laptop).fetch })
    fireEvent.click(await screen.findByRole('button', { name: 'sign out this device' }))
    await waitFor(() => expect(screen.getByText('signed out')).toBeTruthy())
  })

  it('signs every other device out', async () => {
    const bff = createBff()
    const laptop = await bff.seedSession({ sub: 'alice' })
    await bff.seedSession({ sub: 'alice' })
    await bff.seedSession({ sub: 'alice' })
    renderWithBezzie(<Devices />, { fetch: appFetch(bff.app, laptop).fetch })
    expect(await screen.findByText('3 devices')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'sign out all other devices' }))
    expect(await screen.findByText('1 devices')).toBeTruthy()
  })

  it('reads a signed-out visitor as no devices', async () => {
    renderWithBezzie(<Devices />, { fetch: appFetch(createBff().app).fetch })
    expect(await screen.findByText('0 devices')).toBeTruthy()
  })
})

import { screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bezzieFetch } from '../src/bezzie-fetch.ts'
import { AUTH_CHANNEL_NAME, type AuthSyncMessage } from '../src/lib/auth-sync.ts'
import { useUser } from '../src/use-user.ts'
import { userQueryKey } from '../src/user-query-options.ts'
import { appFetch } from './support/app-fetch.ts'
import { createBff } from './support/bff.ts'
import { renderWithBezzie } from './support/render.tsx'

function UserStatus() {
  const { user, isLoading } = useUser()
  if (isLoading) return <p>loading</p>
  return <p>{user ? `signed in as ${user.sub}` : 'signed out'}</p>
}

const channels: BroadcastChannel[] = []
function otherTab(): BroadcastChannel {
  const channel = new BroadcastChannel(AUTH_CHANNEL_NAME)
  channels.push(channel)
  return channel
}
afterEach(() => {
  for (const channel of channels.splice(0)) channel.close()
})

describe('cross-tab sync', () => {
  it('a 401 in one tab signs out every other tab', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    const tabA = renderWithBezzie(<UserStatus />, { fetch: appFetch(bff.app, jar).fetch })
    const tabB = renderWithBezzie(<UserStatus />, { fetch: appFetch(bff.app, jar).fetch })
    await waitFor(() => expect(screen.getAllByText('signed in as alice')).toHaveLength(2))
    await bff.endSessions()
    await bezzieFetch(
      '/api/data',
      {},
      { fetch: appFetch(bff.app, jar).fetch, queryClient: tabA.queryClient },
    )
    await waitFor(() => expect(screen.getAllByText('signed out')).toHaveLength(2))
    expect(tabB.queryClient.getQueryData(userQueryKey('/auth'))).toEqual({
      user: null,
      session: null,
    })
  })

  it('a logout seen by another tab makes this tab revalidate and sign out', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    const backend = appFetch(bff.app, jar)
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
    await screen.findByText('signed in as alice')
    await bff.endSessions()
    const message: AuthSyncMessage = { type: 'bezzie:auth', basePath: '/auth', user: null }
    otherTab().postMessage(message)
    expect(await screen.findByText('signed out')).toBeTruthy()
    expect(backend.count('/auth/me')).toBe(2)
  })

  it('a login seen by another tab makes this tab pick up the user', async () => {
    const bff = createBff()
    const jar: { cookie?: string } = {}
    renderWithBezzie(<UserStatus />, { fetch: appFetch(bff.app, jar).fetch })
    await screen.findByText('signed out')
    jar.cookie = (await bff.seedSession({ sub: 'bob' })).cookie
    otherTab().postMessage({ type: 'bezzie:auth', basePath: '/auth', user: 'bob' })
    expect(await screen.findByText('signed in as bob')).toBeTruthy()
  })

  it('a forged cross-tab message cannot sign anyone in: the tab only asks the BFF again', async () => {
    const bff = createBff()
    const backend = appFetch(bff.app)
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
    await screen.findByText('signed out')
    otherTab().postMessage({ type: 'bezzie:auth', basePath: '/auth', user: 'mallory' })
    await waitFor(() => expect(backend.count('/auth/me')).toBe(2))
    expect(screen.getByText('signed out')).toBeTruthy()
  })

  it('ignores a message that agrees with this tab, or is for another base path', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    const backend = appFetch(bff.app, jar)
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
    await screen.findByText('signed in as alice')
    const tab = otherTab()
    tab.postMessage({ type: 'bezzie:auth', basePath: '/auth', user: 'alice' })
    tab.postMessage({ type: 'bezzie:auth', basePath: '/other', user: null })
    tab.postMessage({ hello: 'world' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(backend.count('/auth/me')).toBe(1)
  })

  it('tells other tabs who is signed in, and when a 401 signs this tab out', async () => {
    const heard: unknown[] = []
    otherTab().onmessage = (event) => heard.push(event.data)
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    const { queryClient } = renderWithBezzie(<UserStatus />, {
      fetch: appFetch(bff.app, jar).fetch,
    })
    await screen.findByText('signed in as alice')
    await waitFor(() =>
      expect(heard).toEqual([{ type: 'bezzie:auth', basePath: '/auth', user: 'alice' }]),
    )
    await bezzieFetch('/api/data', {}, { fetch: appFetch(bff.app).fetch, queryClient })
    await waitFor(() =>
      expect(heard).toContainEqual({ type: 'bezzie:auth', basePath: '/auth', user: null }),
    )
  })

  it('falls back to storage events where BroadcastChannel does not exist', async () => {
    vi.stubGlobal('BroadcastChannel', undefined)
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    const backend = appFetch(bff.app, jar)
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch })
    await screen.findByText('signed in as alice')
    await waitFor(() =>
      expect(JSON.parse(localStorage.getItem(AUTH_CHANNEL_NAME) ?? '{}')).toMatchObject({
        basePath: '/auth',
        user: 'alice',
      }),
    )
    await bff.endSessions()
    window.dispatchEvent(
      new StorageEvent('storage', {
        key: AUTH_CHANNEL_NAME,
        newValue: JSON.stringify({ type: 'bezzie:auth', basePath: '/auth', user: null, at: 1 }),
      }),
    )
    expect(await screen.findByText('signed out')).toBeTruthy()
  })

  it('can be switched off', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    const backend = appFetch(bff.app, jar)
    renderWithBezzie(<UserStatus />, { fetch: backend.fetch, crossTabSync: false })
    await screen.findByText('signed in as alice')
    otherTab().postMessage({ type: 'bezzie:auth', basePath: '/auth', user: null })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(backend.count('/auth/me')).toBe(1)
  })
})

import {
  QueryClient,
  QueryClientProvider,
  useQueryClient,
  useSuspenseQuery,
} from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import { Suspense } from 'react'
import { describe, expect, it } from 'vitest'
import { BezzieProvider } from '../src/bezzie-provider.tsx'
import type { BezzieUser } from '../src/types.ts'
import { useUser } from '../src/use-user.ts'
import { userQueryKey, userQueryOptions } from '../src/user-query-options.ts'
import { appFetch } from './support/app-fetch.ts'
import { createBff } from './support/bff.ts'

function ClientProbe({ expected }: { expected?: QueryClient }) {
  const client = useQueryClient()
  const { isAuthenticated, isLoading } = useUser()
  if (isLoading) return <p>loading</p>
  return (
    <p>
      {isAuthenticated ? 'in' : 'out'}{' '}
      {expected === undefined || client === expected ? 'same' : 'other'}
    </p>
  )
}

function SuspendedSub({ options }: { options: ReturnType<typeof userQueryOptions<BezzieUser>> }) {
  const { data } = useSuspenseQuery(options)
  return <p>{data.user?.sub}</p>
}

describe('<BezzieProvider>', () => {
  it("keeps the user in the application's QueryClient when there is one", async () => {
    const appClient = new QueryClient()
    const bff = createBff()
    render(
      <QueryClientProvider client={appClient}>
        <BezzieProvider fetch={appFetch(bff.app).fetch}>
          <ClientProbe expected={appClient} />
        </BezzieProvider>
      </QueryClientProvider>,
    )
    expect(await screen.findByText('out same')).toBeTruthy()
    expect(appClient.getQueryData(userQueryKey('/auth'))).toEqual({ user: null, session: null })
  })

  it('creates and provides a QueryClient when the application has none', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice' })
    render(
      <BezzieProvider fetch={appFetch(bff.app, jar).fetch}>
        <ClientProbe />
      </BezzieProvider>,
    )
    expect(await screen.findByText('in same')).toBeTruthy()
  })

  it('an explicit queryClient holds the user without replacing the application one', async () => {
    const appClient = new QueryClient()
    const authClient = new QueryClient()
    const bff = createBff()
    render(
      <QueryClientProvider client={appClient}>
        <BezzieProvider queryClient={authClient} fetch={appFetch(bff.app).fetch}>
          <ClientProbe expected={appClient} />
        </BezzieProvider>
      </QueryClientProvider>,
    )
    expect(await screen.findByText('out same')).toBeTruthy()
    expect(authClient.getQueryData(userQueryKey('/auth'))).toEqual({ user: null, session: null })
    expect(appClient.getQueryData(userQueryKey('/auth'))).toBeUndefined()
  })
})

describe('userQueryOptions', () => {
  it('feeds ensureQueryData, as a router loader would', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice', email: 'alice@example.com' })
    const queryClient = new QueryClient()
    const me = await queryClient.ensureQueryData(
      userQueryOptions({ fetch: appFetch(bff.app, jar).fetch }),
    )
    expect(me.user).toEqual({ sub: 'alice', email: 'alice@example.com' })
    expect(me.session).toEqual({
      expiresAt: expect.any(Number),
      absoluteExpiresAt: expect.any(Number),
    })
  })

  it('feeds useSuspenseQuery', async () => {
    const bff = createBff()
    const jar = await bff.seedSession({ sub: 'alice', name: 'Alice' })
    const options = userQueryOptions({ fetch: appFetch(bff.app, jar).fetch })
    render(
      <QueryClientProvider client={new QueryClient()}>
        <Suspense fallback={<p>suspended</p>}>
          <SuspendedSub options={options} />
        </Suspense>
      </QueryClientProvider>,
    )
    expect(screen.getByText('suspended')).toBeTruthy()
    expect(await screen.findByText('alice')).toBeTruthy()
  })

  it('rejects a body that is not the /me contract', async () => {
    const queryClient = new QueryClient()
    const fetch = async () => Response.json({ hello: 'world' })
    await expect(queryClient.fetchQuery(userQueryOptions({ fetch }))).rejects.toMatchObject({
      name: 'BezzieRequestError',
      code: 'me_response_invalid',
    })
  })
})

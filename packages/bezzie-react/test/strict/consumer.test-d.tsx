import { type QueryClient, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query'
import {
  type BezzieMe,
  type BezzieUser,
  Protected,
  useAuthError,
  userQueryOptions,
} from 'bezzie-react'
import { expectTypeOf } from 'vitest'

interface AppUser {
  sub: string
  name: string
}

// What an application compiled with exactOptionalPropertyTypes writes: each call must compile.
export function WithUseQuery() {
  const { data } = useQuery(userQueryOptions())
  expectTypeOf(data).toEqualTypeOf<BezzieMe<BezzieUser> | undefined>()
  return null
}

export function WithUseSuspenseQuery() {
  const { data } = useSuspenseQuery(userQueryOptions<AppUser>({ basePath: '/bff' }))
  expectTypeOf(data).toEqualTypeOf<BezzieMe<AppUser>>()
  return null
}

export async function inARouterGuard(queryClient: QueryClient) {
  const me = await queryClient.ensureQueryData(userQueryOptions())
  expectTypeOf(me).toEqualTypeOf<BezzieMe<BezzieUser>>()
  expectTypeOf(queryClient.getQueryData(userQueryOptions().queryKey)).toEqualTypeOf<
    BezzieMe<BezzieUser> | undefined
  >()
  await queryClient.prefetchQuery(userQueryOptions())
}

export function WithOverrides() {
  const client = useQueryClient()
  void client
  const { data } = useQuery({ ...userQueryOptions(), staleTime: 0 })
  expectTypeOf(data).toEqualTypeOf<BezzieMe<BezzieUser> | undefined>()
  return null
}

export function AuthErrorUi() {
  const authError = useAuthError()
  if (authError !== null) expectTypeOf(authError.code).toBeString()
  return (
    <Protected authErrorFallback={(error) => <p>{error.code}</p>}>
      <p>signed in</p>
    </Protected>
  )
}

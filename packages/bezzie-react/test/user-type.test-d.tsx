import { QueryClient, useSuspenseQuery } from '@tanstack/react-query'
import { describe, expectTypeOf, it } from 'vitest'
import type { BezzieMe, BezzieSession, BezzieUser, UseUserResult } from '../src/index.ts'
import { BezzieProvider, userQueryOptions, useUser } from '../src/index.ts'

interface AppUser {
  sub: string
  name: string
  roles: string[]
}

describe('useUser types', () => {
  it('defaults to BezzieUser claims', () => {
    const result = useUser()
    expectTypeOf(result).toEqualTypeOf<UseUserResult<BezzieUser>>()
    expectTypeOf(result.user).toEqualTypeOf<BezzieUser | null>()
    expectTypeOf(result.session).toEqualTypeOf<BezzieSession | null>()
    expectTypeOf(result.error).toEqualTypeOf<Error | null>()
    expectTypeOf(result.invalidate).returns.resolves.toBeVoid()
  })

  it('takes the application user type and narrows on isAuthenticated', () => {
    const result = useUser<AppUser>()
    expectTypeOf(result.user).toEqualTypeOf<AppUser | null>()
    if (result.isAuthenticated) {
      expectTypeOf(result.user).toEqualTypeOf<AppUser>()
      expectTypeOf(result.user.roles).toEqualTypeOf<string[]>()
      expectTypeOf(result.isLoading).toEqualTypeOf<false>()
    } else {
      expectTypeOf(result.user).toBeNull()
      // @ts-expect-error a logged-out result has no user to read claims from
      result.user.roles
    }
  })

  it('types userQueryOptions data by the user type', () => {
    const options = userQueryOptions<AppUser>()
    expectTypeOf(options.queryKey).toExtend<readonly ['bezzie', 'me', string]>()
    const { data } = useSuspenseQuery(options)
    expectTypeOf(data).toEqualTypeOf<BezzieMe<AppUser>>()
    expectTypeOf(new QueryClient().getQueryData(options.queryKey)).toEqualTypeOf<
      BezzieMe<AppUser> | undefined
    >()
  })

  it('checks initialUser against the provider user type', () => {
    ;<BezzieProvider<AppUser> initialUser={{ sub: 'a', name: 'A', roles: [] }} />
    // @ts-expect-error roles is required by AppUser
    ;<BezzieProvider<AppUser> initialUser={{ sub: 'a', name: 'A' }} />
  })
})

'use client'
import { useQuery } from '@tanstack/react-query'
import { useBezzieContext } from './bezzie-context.ts'
import type { BezzieSession, BezzieUser } from './types.ts'
import { userQueryKey, userQueryOptions } from './user-query-options.ts'

interface UseUserCommon {
  /** Session lifetimes from `/me`, `null` when logged out or when seeded without them. */
  session: BezzieSession | null
  /**
   * The last failure to read `/me` (network, 5xx): the session state is unknown, which is not
   * the same as logged out. `null` after a successful read.
   */
  error: Error | null
  /** Re-reads `/me`, e.g. after an action that changed the session. */
  invalidate: () => Promise<void>
}

/** The signed-in user. */
export interface UseUserAuthenticated<TUser> extends UseUserCommon {
  isAuthenticated: true
  isLoading: false
  user: TUser
}

/** Nobody signed in, not known yet (`isLoading`), or unknown because `/me` failed (`error`). */
export interface UseUserUnauthenticated extends UseUserCommon {
  isAuthenticated: false
  isLoading: boolean
  user: null
}

/** What {@link useUser} returns; narrow it with `isAuthenticated`. */
export type UseUserResult<TUser = BezzieUser> = UseUserAuthenticated<TUser> | UseUserUnauthenticated

/**
 * The signed-in user, from `GET {basePath}/me` through TanStack Query (see
 * {@link userQueryOptions}). Revalidates on window focus and on reconnect, never polls.
 *
 * @typeParam TUser - the shape of the user's claims, as produced by the BFF's `mapClaims`.
 */
export function useUser<TUser = BezzieUser>(): UseUserResult<TUser> {
  const { basePath, fetch, credentials, queryClient } = useBezzieContext('useUser()')
  const query = useQuery(userQueryOptions<TUser>({ basePath, fetch, credentials }), queryClient)
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: userQueryKey(basePath), exact: true })
  const user = query.data?.user ?? null
  const common = { session: query.data?.session ?? null, error: query.error, invalidate }
  if (user !== null) return { ...common, isAuthenticated: true, isLoading: false, user }
  return { ...common, isAuthenticated: false, isLoading: query.isPending, user }
}

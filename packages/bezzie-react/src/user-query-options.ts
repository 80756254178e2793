import { DEFAULT_BASE_PATH, type MeResponse } from '@bezzie/contract'
import type { DataTag, QueryFunction, UseQueryOptions } from '@tanstack/react-query'
import { BezzieRequestError } from './bezzie-error.ts'
import { joinPath } from './lib/join-path.ts'
import { clearLoginAttempt } from './lib/login-attempt.ts'
import type { BezzieMe, BezzieUser, FetchLike } from './types.ts'

/** Options of {@link userQueryOptions}. */
export interface UserQueryOptionsInput {
  /**
   * Where the BFF's routes are mounted: a path (`/auth`) or, for server-side prefetching, an
   * absolute URL (`https://app.example/auth`). Default is `'/auth'`.
   */
  basePath?: string
  /** The `fetch` to call `/me` with. Default is the global `fetch`, looked up at call time. */
  fetch?: FetchLike | undefined
  /** `RequestInit.credentials` of the `/me` request. Default is `'same-origin'`. */
  credentials?: RequestCredentials | undefined
}

/** The query key of the user query: `['bezzie', 'me', basePath]`. */
export type UserQueryKey = readonly ['bezzie', 'me', string]

/** The query key of the user query for `basePath`: `['bezzie', 'me', basePath]`. */
export function userQueryKey(basePath = DEFAULT_BASE_PATH): UserQueryKey {
  return ['bezzie', 'me', basePath] as const
}

/**
 * What {@link userQueryOptions} returns: options for `useQuery`, `useSuspenseQuery`,
 * `ensureQueryData` and friends, with a required `queryFn` and a query key tagged with the data
 * type (so `getQueryData(options.queryKey)` is typed).
 *
 * Spelled out rather than inferred: the inferred type, once written to a declaration file,
 * declares `queryFn?: … | undefined`, which a project with `exactOptionalPropertyTypes` cannot
 * pass to `useQuery` (TS2769).
 */
export type UserQueryOptions<TUser = BezzieUser> = Omit<
  UseQueryOptions<BezzieMe<TUser>, Error, BezzieMe<TUser>, UserQueryKey>,
  'queryKey' | 'queryFn'
> & {
  queryKey: DataTag<UserQueryKey, BezzieMe<TUser>>
  queryFn: QueryFunction<BezzieMe<TUser>, UserQueryKey>
}

const LOGGED_OUT: BezzieMe<never> = Object.freeze({ user: null, session: null })

/** How long (in milliseconds) a `/me` answer counts as fresh. */
const STALE_TIME_MS = 30_000

/**
 * A TanStack Query `queryOptions` for the signed-in user, read from `GET {basePath}/me`.
 *
 * Use it with `useQuery`, `useSuspenseQuery`, `queryClient.prefetchQuery`,
 * `queryClient.ensureQueryData` (e.g. in a TanStack Router loader) or `setQueryData`.
 * A `200 { user: null }` or a `401` resolves to `{ user: null, session: null }`; any other
 * failure (network, 5xx, a malformed body) rejects, so an outage is never mistaken for a logout.
 * Client errors (4xx) and malformed answers are not retried; outages (network, 5xx) are retried
 * twice, after 0.5 s and 1 s. Revalidates whenever the
 * window regains focus or the network reconnects; it never polls.
 */
export function userQueryOptions<TUser = BezzieUser>({
  basePath = DEFAULT_BASE_PATH,
  fetch,
  credentials = 'same-origin',
}: UserQueryOptionsInput = {}): UserQueryOptions<TUser> {
  const queryFn: UserQueryOptions<TUser>['queryFn'] = async ({ signal }) => {
    const doFetch = fetch ?? globalThis.fetch
    const response = await doFetch(joinPath(basePath, 'me'), {
      credentials,
      headers: { accept: 'application/json' },
      signal,
    })
    if (response.status === 401) return LOGGED_OUT
    if (!response.ok) {
      throw new BezzieRequestError(`GET ${basePath}/me failed with HTTP ${response.status}`, {
        code: 'me_request_failed',
        status: response.status,
      })
    }
    const me = parseMe<TUser>(await response.json().catch(() => undefined), response.status)
    // Signed in: whatever login was pending worked, so the loop breaker has nothing to stop.
    if (me.user !== null) clearLoginAttempt(basePath)
    return me
  }
  return {
    // The data tag exists only in the type, as with TanStack's own `queryOptions`.
    queryKey: userQueryKey(basePath) as UserQueryOptions<TUser>['queryKey'],
    queryFn,
    staleTime: STALE_TIME_MS,
    refetchOnWindowFocus: 'always',
    refetchOnReconnect: 'always',
    refetchInterval: false,
    retry: (failureCount, error) => {
      // A 4xx or a malformed body would come back the same; only outages are worth retrying.
      if (error instanceof BezzieRequestError && error.status < 500) return false
      return failureCount < 2
    },
    // The BFF is same-origin and usually close: retry soon, then give up and show the error.
    retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 5_000),
  }
}

function parseMe<TUser>(body: unknown, status: number): BezzieMe<TUser> {
  if (typeof body === 'object' && body !== null && 'user' in body) {
    // Checked only as far as `user`: the rest of the shape is the contract with the BFF.
    const me = body as MeResponse<TUser>
    if (me.user === null) return LOGGED_OUT
    if (typeof me.user === 'object') return { user: me.user, session: me.session ?? null }
  }
  throw new BezzieRequestError('The /me response is not { user, session }', {
    code: 'me_response_invalid',
    status,
  })
}

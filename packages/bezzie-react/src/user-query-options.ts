import { queryOptions } from '@tanstack/react-query'
import { BezzieRequestError } from './bezzie-error.ts'
import { joinPath } from './lib/join-path.ts'
import type { BezzieMe, BezzieSession, BezzieUser, FetchLike } from './types.ts'

/** Options of {@link userQueryOptions}. */
export interface UserQueryOptionsInput {
  /**
   * Where the BFF's routes are mounted: a path (`/auth`) or, for server-side prefetching, an
   * absolute URL (`https://app.example/auth`). Default is `'/auth'`.
   */
  basePath?: string
  /** The `fetch` to call `/me` with. Default is the global `fetch`, looked up at call time. */
  fetch?: FetchLike
  /** `RequestInit.credentials` of the `/me` request. Default is `'same-origin'`. */
  credentials?: RequestCredentials
}

/** The query key of the user query for `basePath`: `['bezzie', 'me', basePath]`. */
export function userQueryKey(basePath = '/auth') {
  return ['bezzie', 'me', basePath] as const
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
  basePath = '/auth',
  fetch,
  credentials = 'same-origin',
}: UserQueryOptionsInput = {}) {
  return queryOptions({
    queryKey: userQueryKey(basePath),
    queryFn: async ({ signal }): Promise<BezzieMe<TUser>> => {
      const doFetch = fetch ?? globalThis.fetch
      const response = await doFetch(joinPath(basePath, 'me'), {
        credentials,
        headers: { accept: 'application/json' },
        signal,
      })
      if (response.status === 401) return LOGGED_OUT
      if (!response.ok) {
        throw new BezzieRequestError(`GET ${basePath}/me failed with HTTP ${response.status}`, {
          code: 'ME_REQUEST_FAILED',
          status: response.status,
        })
      }
      return parseMe<TUser>(await response.json().catch(() => undefined), response.status)
    },
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
  })
}

function parseMe<TUser>(body: unknown, status: number): BezzieMe<TUser> {
  if (typeof body === 'object' && body !== null && 'user' in body) {
    const { user, session } = body as { user: unknown; session?: unknown }
    if (user === null) return LOGGED_OUT
    if (typeof user === 'object') {
      return { user: user as TUser, session: (session as BezzieSession | undefined) ?? null }
    }
  }
  throw new BezzieRequestError('The /me response is not { user, session }', {
    code: 'ME_RESPONSE_INVALID',
    status,
  })
}

import type { QueryClient } from '@tanstack/react-query'
import type { FetchLike, Navigate } from 'bezzie-react'

/** What every route's `beforeLoad` and loader get: the app's QueryClient and its BFF seams. */
export interface RouterContext {
  queryClient: QueryClient
  /** The `fetch` for `/auth/me` and `/api/*`; `undefined` is the global one (tests pass a stub). */
  fetch: FetchLike | undefined
  /** How a login leaves the page; `location.assign` outside tests. */
  navigate: Navigate
}

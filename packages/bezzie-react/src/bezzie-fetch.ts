import { CSRF_HEADER, CSRF_HEADER_VALUE, DEFAULT_BASE_PATH } from '@bezzie/contract'
import type { QueryClient } from '@tanstack/react-query'
import { currentPath, defaultNavigate } from './lib/default-navigate.ts'
import { login } from './login.ts'
import type { BezzieMe, FetchLike, Navigate } from './types.ts'
import { userQueryKey } from './user-query-options.ts'

/** Options of {@link bezzieFetch}. */
export interface BezzieFetchOptions {
  /** Where the BFF's routes are mounted; picks the user query to clear. Default is `'/auth'`. */
  basePath?: string
  /**
   * The QueryClient whose user query a 401 marks as logged out (inside a `<BezzieProvider>`,
   * other tabs then follow). Without it a 401 is only returned.
   */
  queryClient?: QueryClient
  /** The underlying `fetch`. Default is the global `fetch`, looked up at call time. */
  fetch?: FetchLike | undefined
  /** `RequestInit.credentials` when the call does not set it. Default is `'same-origin'`. */
  credentials?: RequestCredentials
  /** On a 401, also start a login that returns to the current page. Default is `false`. */
  redirectToLogin?: boolean
  /** Navigation used by `redirectToLogin`. Default is `window.location.assign`. */
  navigate?: Navigate
}

export { CSRF_HEADER }

const LOGGED_OUT: BezzieMe<never> = { user: null, session: null }

/**
 * `fetch` for the BFF's API: sends the session cookie (`credentials: 'same-origin'`) and the
 * `X-CSRF: 1` header, and treats a `401` as "the session is gone": the user query becomes
 * logged out (and, with `redirectToLogin`, a login starts). The response is returned either way;
 * a network failure rejects exactly as `fetch` does and changes nothing.
 */
export async function bezzieFetch(
  input: RequestInfo | URL,
  init: RequestInit = {},
  {
    basePath = DEFAULT_BASE_PATH,
    queryClient,
    fetch,
    credentials = 'same-origin',
    redirectToLogin = false,
    navigate = defaultNavigate,
  }: BezzieFetchOptions = {},
): Promise<Response> {
  const headers = new Headers(init.headers)
  if (!headers.has(CSRF_HEADER)) headers.set(CSRF_HEADER, CSRF_HEADER_VALUE)
  const doFetch = fetch ?? globalThis.fetch
  const response = await doFetch(input, {
    ...init,
    headers,
    credentials: init.credentials ?? credentials,
  })
  if (response.status === 401) {
    queryClient?.setQueryData(userQueryKey(basePath), LOGGED_OUT)
    if (redirectToLogin) login({ basePath, navigate, returnTo: currentPath() })
  }
  return response
}

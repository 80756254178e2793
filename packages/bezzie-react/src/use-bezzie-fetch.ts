'use client'
import { useCallback } from 'react'
import { useBezzieContext } from './bezzie-context.ts'
import { bezzieFetch } from './bezzie-fetch.ts'

/** Options of {@link useBezzieFetch}. */
export interface UseBezzieFetchOptions {
  /** On a 401, also start a login that returns to the current page. Default is `false`. */
  redirectToLogin?: boolean
}

/**
 * {@link bezzieFetch} bound to the provider: its base path, QueryClient, `fetch`, credentials
 * and navigation. A 401 flips `useUser()` to logged out here and in other tabs.
 */
export function useBezzieFetch({
  redirectToLogin = false,
}: UseBezzieFetchOptions = {}): (
  input: RequestInfo | URL,
  init?: RequestInit,
) => Promise<Response> {
  const { basePath, queryClient, fetch, credentials, navigate } =
    useBezzieContext('useBezzieFetch()')
  return useCallback(
    (input, init) =>
      bezzieFetch(input, init, {
        basePath,
        queryClient,
        fetch,
        credentials,
        navigate,
        redirectToLogin,
      }),
    [basePath, queryClient, fetch, credentials, navigate, redirectToLogin],
  )
}

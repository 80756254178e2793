'use client'
import { DEFAULT_BASE_PATH } from '@bezzie/contract'
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query'
import { type ReactNode, useContext, useEffect, useMemo, useState } from 'react'
import { BezzieContext, type BezzieContextValue } from './bezzie-context.ts'
import { captureAuthError } from './lib/auth-error-state.ts'
import { defaultNavigate } from './lib/default-navigate.ts'
import { useAuthSync } from './lib/use-auth-sync.ts'
import { useBrowserLayoutEffect } from './lib/use-browser-layout-effect.ts'
import type { BezzieMe, BezzieSession, BezzieUser, FetchLike, Navigate } from './types.ts'
import { userQueryKey } from './user-query-options.ts'

/** Props of {@link BezzieProvider}. */
export interface BezzieProviderProps<TUser = BezzieUser> {
  /** Where the BFF's routes are mounted (`/me`, `/login`, `/logout`). Default is `'/auth'`. */
  basePath?: string
  /**
   * The QueryClient to keep the user in. Default: the one from the surrounding
   * `QueryClientProvider`, or a new one (then also provided to `children`) when there is none.
   */
  queryClient?: QueryClient
  /**
   * Seeds the user query, e.g. with the user the server rendered the page for, so the first
   * render needs no `/me` round trip. `null` seeds "logged out". Ignored when the cache already
   * holds a user.
   */
  initialUser?: TUser | null
  /** Session lifetimes to seed along with `initialUser`. */
  initialSession?: BezzieSession | null
  /** The `fetch` used for `/me` and by `useBezzieFetch`. Default is the global `fetch`. */
  fetch?: FetchLike
  /**
   * How to navigate to the login route. Default is `window.location.assign`; tests and routers
   * with their own full-page navigation can pass another.
   */
  navigate?: Navigate
  /** `RequestInit.credentials` for `/me` and `useBezzieFetch`. Default is `'same-origin'`. */
  credentials?: RequestCredentials
  /**
   * Keep every open tab's user in step over a BroadcastChannel named `bezzie-auth` (falling
   * back to `storage` events). Default is `true`.
   */
  crossTabSync?: boolean
  children?: ReactNode
}

/**
 * Makes the BFF's session available to `useUser`, `<Protected>`, `useLogin`, `useLogout` and
 * `useBezzieFetch`. Reuses the application's `QueryClientProvider` when there is one.
 */
export function BezzieProvider<TUser = BezzieUser>({
  basePath = DEFAULT_BASE_PATH,
  queryClient,
  initialUser,
  initialSession = null,
  fetch,
  navigate = defaultNavigate,
  credentials = 'same-origin',
  crossTabSync = true,
  children,
}: BezzieProviderProps<TUser>): ReactNode {
  const ambient = useContext(QueryClientContext)
  const [ownClient] = useState(() =>
    queryClient === undefined && ambient === undefined ? new QueryClient() : undefined,
  )
  const client = queryClient ?? ambient ?? (ownClient as QueryClient)

  // Seeded in the first render, before any child reads the cache, and only once.
  useState(() => {
    const queryKey = userQueryKey(basePath)
    if (initialUser !== undefined && client.getQueryData(queryKey) === undefined) {
      const seed: BezzieMe<TUser> =
        initialUser === null
          ? { user: null, session: null }
          : { user: initialUser, session: initialSession }
      client.setQueryData(queryKey, seed)
    }
  })

  const providesClient = ambient === undefined
  // A client that is neither ours to provide nor the surrounding one still needs its focus and
  // reconnect listeners, which QueryClientProvider would otherwise attach.
  const mountsManually = !providesClient && client !== ambient
  useEffect(() => {
    if (!mountsManually) return
    client.mount()
    return () => client.unmount()
  }, [client, mountsManually])

  useAuthSync(client, basePath, crossTabSync)

  // `?auth_error=` leaves the address bar before the first paint, whichever component reads it.
  useBrowserLayoutEffect(() => {
    captureAuthError()
  }, [])

  const value = useMemo<BezzieContextValue>(
    () => ({ basePath, queryClient: client, fetch, navigate, credentials }),
    [basePath, client, fetch, navigate, credentials],
  )
  const tree = <BezzieContext.Provider value={value}>{children}</BezzieContext.Provider>
  return providesClient ? <QueryClientProvider client={client}>{tree}</QueryClientProvider> : tree
}

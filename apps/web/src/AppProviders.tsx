import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { BezzieProvider, type FetchLike, type Navigate } from 'bezzie-react'
import { type ReactNode, useState } from 'react'

/** Props of {@link AppProviders}. */
export interface AppProvidersProps {
  children: ReactNode
  /** The app's QueryClient, shared by bezzie-react's user query and the upstream call. */
  queryClient?: QueryClient
  /** The `fetch` for `/auth/me` and `/api/*`. Default is the global `fetch` (tests pass a stub). */
  fetch?: FetchLike
  /** How login navigates. Default is `location.assign` (tests pass a spy). */
  navigate?: Navigate
}

/** TanStack Query and bezzie, mounted at `/auth` (same origin: Vite proxy or Pages Functions). */
export function AppProviders({ children, queryClient, fetch, navigate }: AppProvidersProps) {
  const [client] = useState(() => queryClient ?? new QueryClient())
  return (
    <QueryClientProvider client={client}>
      <BezzieProvider basePath="/auth" fetch={fetch} navigate={navigate}>
        {children}
      </BezzieProvider>
    </QueryClientProvider>
  )
}

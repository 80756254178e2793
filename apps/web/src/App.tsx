import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from '@tanstack/react-router'
import { BezzieProvider, type FetchLike, type Navigate } from 'bezzie-react'
import { useState } from 'react'
import { BFF_BASE_PATH } from './bff.ts'
import { createAppRouter } from './router.tsx'

/** Props of {@link App}: seams for tests; the browser uses the defaults. */
export interface AppProps {
  /** The app's QueryClient, shared by bezzie-react, the router's guard and the API calls. */
  queryClient?: QueryClient
  /** The `fetch` for `/auth/me` and `/api/*`. Default is the global `fetch`. */
  fetch?: FetchLike
  /** How a login leaves the page. Default is `location.assign`. */
  navigate?: Navigate
}

const assign: Navigate = (url) => window.location.assign(url)

/** TanStack Query, bezzie (mounted at `/auth`, same origin) and the router. */
export function App({ queryClient, fetch, navigate = assign }: AppProps) {
  const [client] = useState(() => queryClient ?? new QueryClient())
  const [router] = useState(() => createAppRouter({ queryClient: client, fetch, navigate }))
  return (
    <QueryClientProvider client={client}>
      <BezzieProvider basePath={BFF_BASE_PATH} fetch={fetch} navigate={navigate}>
        <RouterProvider router={router} />
      </BezzieProvider>
    </QueryClientProvider>
  )
}

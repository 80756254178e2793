'use client'
import type { QueryClient } from '@tanstack/react-query'
import { createContext, useContext } from 'react'
import type { FetchLike, Navigate } from './types.ts'

/** What `<BezzieProvider>` hands to the hooks below it. */
export interface BezzieContextValue {
  basePath: string
  queryClient: QueryClient
  fetch: FetchLike | undefined
  navigate: Navigate
  credentials: RequestCredentials
}

export const BezzieContext = createContext<BezzieContextValue | null>(null)

/** The nearest `<BezzieProvider>`'s settings; throws with a fix when there is none. */
export function useBezzieContext(hookName: string): BezzieContextValue {
  const value = useContext(BezzieContext)
  if (value === null) {
    throw new Error(
      `${hookName} must be used inside <BezzieProvider>. Wrap your app: ` +
        `<BezzieProvider basePath="/auth">…</BezzieProvider> (it reuses your ` +
        'QueryClientProvider when there is one).',
    )
  }
  return value
}

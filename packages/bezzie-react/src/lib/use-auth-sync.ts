'use client'
import { hashKey, type QueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { BezzieMe } from '../types.ts'
import { userQueryKey } from '../user-query-options.ts'
import { openAuthSync } from './auth-sync.ts'
import { userIdentity } from './user-identity.ts'

/**
 * Keeps every tab's user query in step: whenever this tab learns who is signed in (a `/me`
 * answer, or a 401 from the fetch helper), it tells the other tabs; a tab hearing a different
 * answer than its own revalidates against the BFF rather than trusting the message.
 */
export function useAuthSync(queryClient: QueryClient, basePath: string, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return
    const queryKey = userQueryKey(basePath)
    const queryHash = hashKey(queryKey)
    let published: string | null | undefined
    const sync = openAuthSync((message) => {
      if (message.basePath !== basePath) return
      const mine = userIdentity(queryClient.getQueryData<BezzieMe<unknown>>(queryKey))
      if (message.user === undefined || mine !== message.user) {
        void queryClient.invalidateQueries({ queryKey, exact: true })
      }
    })
    if (sync === null) return
    const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
      if (event.query.queryHash !== queryHash) return
      if (event.type !== 'updated' || event.action.type !== 'success') return
      const identity = userIdentity(event.query.state.data as BezzieMe<unknown> | undefined)
      if (identity === undefined || identity === published) return
      published = identity
      sync.publish({ type: 'bezzie:auth', basePath, user: identity })
    })
    return () => {
      unsubscribe()
      sync.close()
    }
  }, [queryClient, basePath, enabled])
}

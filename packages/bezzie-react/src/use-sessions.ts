'use client'
import { useQuery } from '@tanstack/react-query'
import { useCallback } from 'react'
import { useBezzieContext } from './bezzie-context.ts'
import { BezzieRequestError } from './bezzie-error.ts'
import { bezzieFetch } from './bezzie-fetch.ts'
import { joinPath } from './lib/join-path.ts'
import type { BezzieDevice } from './types.ts'
import { userQueryKey } from './user-query-options.ts'

/** The query key of the devices list: `['bezzie', 'sessions', basePath]`. */
export function sessionsQueryKey(basePath = '/auth') {
  return ['bezzie', 'sessions', basePath] as const
}

/** What {@link useSessions} returns. */
export interface UseSessionsResult {
  /** The user's signed-in devices, most recently seen first; empty while loading or signed out. */
  sessions: BezzieDevice[]
  isLoading: boolean
  /** The last failure to read the list (network, 5xx; a 4xx other than 401). */
  error: Error | null
  /**
   * Signs one device out (`POST {basePath}/sessions/revoke`). Signing out the current device also
   * ends this page's session: the user query becomes logged out. Rejects when the BFF refuses.
   */
  revoke: (id: string) => Promise<void>
  /** Signs every other device out; this one stays signed in. */
  revokeOthers: () => Promise<void>
}

function isDevice(value: unknown): value is BezzieDevice {
  const d = value as Partial<BezzieDevice> | null
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.id === 'string' &&
    typeof d.createdAt === 'number' &&
    typeof d.lastSeenAt === 'number' &&
    typeof d.device === 'string' &&
    typeof d.current === 'boolean'
  )
}

/**
 * "Your devices": the signed-in user's sessions from `GET {basePath}/sessions` (served by the BFF
 * when its store has an index), with actions to sign one or all others out. A `401` reads as an
 * empty list.
 */
export function useSessions(): UseSessionsResult {
  const { basePath, fetch, credentials, queryClient } = useBezzieContext('useSessions()')
  const queryKey = sessionsQueryKey(basePath)
  const query = useQuery(
    {
      queryKey,
      // No abort signal on purpose: signing this device out unmounts the list mid-refetch, and an
      // aborted request would leave its response half-read rather than just be ignored.
      queryFn: async () => {
        const doFetch = fetch ?? globalThis.fetch
        const response = await doFetch(joinPath(basePath, 'sessions'), {
          credentials,
          headers: { accept: 'application/json' },
        })
        // Read in every case: a body left unread keeps its connection (and any tool watching it)
        // waiting.
        const body = (await response.json().catch(() => undefined)) as
          | { sessions?: unknown }
          | undefined
        if (response.status === 401) return []
        if (!response.ok || !Array.isArray(body?.sessions) || !body.sessions.every(isDevice)) {
          throw new BezzieRequestError(
            `GET ${basePath}/sessions failed with HTTP ${response.status}`,
            { code: 'sessions_request_failed', status: response.status },
          )
        }
        return body.sessions
      },
      retry: false,
    },
    queryClient,
  )

  const send = useCallback(
    async (body: { id: string } | { others: true }) => {
      const response = await bezzieFetch(
        joinPath(basePath, 'sessions/revoke'),
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
        },
        { basePath, queryClient, fetch, credentials },
      )
      await response.text().catch(() => undefined)
      if (!response.ok) {
        throw new BezzieRequestError(
          `POST ${basePath}/sessions/revoke failed with HTTP ${response.status}`,
          { code: 'sessions_request_failed', status: response.status },
        )
      }
      await queryClient.invalidateQueries({ queryKey: sessionsQueryKey(basePath) })
    },
    [basePath, queryClient, fetch, credentials],
  )

  const sessions = query.data ?? []
  const revoke = useCallback(
    async (id: string) => {
      const current = sessions.find((s) => s.current)?.id === id
      await send({ id })
      if (current) await queryClient.invalidateQueries({ queryKey: userQueryKey(basePath) })
    },
    [send, sessions, queryClient, basePath],
  )
  const revokeOthers = useCallback(() => send({ others: true }), [send])
  return { sessions, isLoading: query.isPending, error: query.error, revoke, revokeOthers }
}

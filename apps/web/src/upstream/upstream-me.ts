import { queryOptions } from '@tanstack/react-query'
import type { FetchLike } from 'bezzie-react'

/** What upstream-mock's `GET /api/me` answers once it has verified the bearer token. */
export interface UpstreamMe {
  message: string
  sub: string
  scope: string
  receivedAuthorization: boolean
  /** How the Worker sent the token: `"DPoP"` (bound to its key, with a proof) or `"Bearer"`. */
  tokenType?: 'Bearer' | 'DPoP'
  timestamp: string
  [field: string]: unknown
}

/** The BFF or the upstream API answered an `/api/*` call with a non-2xx status. */
export class UpstreamError extends Error {
  /** HTTP status the browser received from the BFF. */
  readonly status: number
  /** The `error` / `message` / `error_description` of a JSON error body, when there was one. */
  readonly detail: string | null

  constructor(request: string, status: number, detail: string | null) {
    super(`${request} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`)
    this.name = this.constructor.name
    this.status = status
    this.detail = detail
  }
}

/** The most useful text of a JSON error body, or `null`. */
export async function upstreamErrorDetail(response: Response): Promise<string | null> {
  const body: unknown = await response.json().catch(() => null)
  if (typeof body !== 'object' || body === null) return null
  const { error_description, message, error } = body as Record<string, unknown>
  for (const value of [error_description, message, error]) {
    if (typeof value === 'string' && value !== '') return value
  }
  return null
}

/**
 * The upstream call of the dashboard, as TanStack Query options. `fetch` should be bezzie-react's
 * fetch (it adds the CSRF header and turns a 401 into "logged out"); the browser sends only its
 * session cookie, and the Worker adds `Authorization: Bearer` (or `DPoP` with a proof) on the way
 * upstream.
 *
 * Keyed by the user's `sub` so one user's answer is never shown to the next. HTTP failures are
 * shown at once (not retried); a network failure is retried once.
 */
export function upstreamMeQueryOptions(fetch: FetchLike, sub: string) {
  return queryOptions({
    queryKey: ['upstream', 'me', sub] as const,
    queryFn: async ({ signal }): Promise<UpstreamMe> => {
      const response = await fetch('/api/me', { headers: { accept: 'application/json' }, signal })
      if (!response.ok)
        throw new UpstreamError('GET /api/me', response.status, await upstreamErrorDetail(response))
      return (await response.json()) as UpstreamMe
    },
    retry: (failureCount, error) => !(error instanceof UpstreamError) && failureCount < 1,
    staleTime: 0,
  })
}

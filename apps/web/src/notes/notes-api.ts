import { queryOptions } from '@tanstack/react-query'
import type { FetchLike } from 'bezzie-react'
import { UpstreamError, upstreamErrorDetail } from '../upstream/upstream-me.ts'

/** A note as upstream-mock's `/api/notes` returns it. */
export interface Note {
  id: string
  text: string
  /** ISO 8601 creation time. */
  createdAt: string
}

/** Longest note upstream-mock accepts, in characters. */
export const MAX_NOTE_LENGTH = 1000

/**
 * The signed-in user's notes: `GET /api/notes`, forwarded by the BFF's proxy with the access
 * token. `fetch` is bezzie-react's (session cookie + `X-CSRF`); keyed by `sub`.
 */
export function notesQueryOptions(fetch: FetchLike, sub: string) {
  return queryOptions({
    queryKey: ['upstream', 'notes', sub] as const,
    queryFn: async ({ signal }): Promise<Note[]> => {
      const response = await fetch('/api/notes', {
        headers: { accept: 'application/json' },
        signal,
      })
      if (!response.ok) {
        throw new UpstreamError(
          'GET /api/notes',
          response.status,
          await upstreamErrorDetail(response),
        )
      }
      return ((await response.json()) as { notes: Note[] }).notes
    },
    retry: (failureCount, error) => !(error instanceof UpstreamError) && failureCount < 1,
  })
}

/** `POST /api/notes` through the BFF: a write, so the proxy checks the CSRF header first. */
export async function addNote(fetch: FetchLike, text: string): Promise<Note> {
  const response = await fetch('/api/notes', {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  })
  if (!response.ok) {
    throw new UpstreamError('POST /api/notes', response.status, await upstreamErrorDetail(response))
  }
  return (await response.json()) as Note
}

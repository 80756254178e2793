import { QueryClient } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { BezzieUser } from 'bezzie-react'
import { vi } from 'vitest'
import { App } from '../src/App.tsx'
import type { Note } from '../src/notes/notes-api.ts'

/** A user as the BFF's `/auth/me` returns it for the IdP's demo account. */
export const alice: BezzieUser = {
  sub: 'alice',
  name: 'Alice Liddell',
  given_name: 'Alice',
  email: 'alice@example.com',
}

/** upstream-mock's `/api/me` answer, as the BFF passes it through. */
export const upstreamMe = {
  message: 'Hello from the upstream API',
  sub: 'alice',
  scope: 'openid profile email',
  receivedAuthorization: true,
  tokenType: 'DPoP',
  timestamp: '2026-11-27T10:00:00.000Z',
}

/** How the stubbed BFF answers `GET /api/me`. */
export type UpstreamBehaviour = { status: 200; body?: unknown } | { status: number; body: unknown }

export interface RenderAppOptions {
  /** The URL path the app starts on. Default is `/`. */
  path?: string
  /** Who `/auth/me` says is signed in; `null` for nobody. Default is `null`. */
  user?: BezzieUser | null
  /** How `/api/me` answers. Default: 200 with {@link upstreamMe}. */
  upstream?: UpstreamBehaviour
  /** Makes `/auth/me` fail with this status (the BFF or its store is down). */
  meFailsWith?: number
  /** The BFF reports its IdP unreachable (`GET /api/idp-status` → 503). */
  idpDown?: boolean
  /** How `POST /api/notes` answers when not 201. */
  addNoteFailsWith?: number
}

/** A request the app made, as the network boundary saw it. */
export interface SeenRequest {
  method: string
  pathname: string
  headers: Headers
  credentials: RequestCredentials | undefined
  body: RequestInit['body']
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  })
}

/**
 * Renders the whole app (real router, real bezzie-react provider) over a `fetch` that answers
 * the way the BFF's contract says: `GET /auth/me` → `{ user, session }` or `{ user: null }`,
 * `GET /api/me` → the upstream answer. Login navigation goes to a spy instead of the browser.
 */
export function renderApp({
  path = '/',
  user = null,
  upstream,
  meFailsWith,
  idpDown = false,
  addNoteFailsWith,
}: RenderAppOptions = {}) {
  const notes: Note[] = []
  window.history.replaceState(null, '', path)
  const requests: SeenRequest[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.href)
    const method = init.method ?? 'GET'
    requests.push({
      method,
      pathname: url.pathname,
      headers: new Headers(init.headers),
      credentials: init.credentials,
      body: init.body,
    })
    if (url.pathname === '/auth/me') {
      if (meFailsWith) return json(meFailsWith, { error: 'session_store_unavailable' })
      return user
        ? json(200, {
            user,
            session: { expiresAt: 2_000_000_000, absoluteExpiresAt: 2_000_000_000 },
          })
        : json(200, { user: null })
    }
    if (url.pathname === '/api/me') {
      if (!user) return json(401, { error: 'unauthorized' })
      const answer = upstream ?? { status: 200 }
      return json(answer.status, answer.body ?? upstreamMe)
    }
    if (url.pathname === '/api/idp-status') {
      return idpDown ? json(503, { reachable: false }) : json(200, { reachable: true })
    }
    if (url.pathname === '/api/notes') {
      if (!user) return json(401, { error: 'unauthorized' })
      if (method === 'GET') return json(200, { notes })
      if (addNoteFailsWith)
        return json(addNoteFailsWith, { error: 'invalid_request', message: 'nope' })
      const { text } = JSON.parse(String(init.body)) as { text: string }
      const note = { id: String(notes.length + 1), text, createdAt: '2026-11-27T10:00:00.000Z' }
      notes.push(note)
      return json(201, note)
    }
    return json(404, { error: 'not_found' })
  })
  const navigate = vi.fn<(url: string) => void>()
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const view = render(<App queryClient={queryClient} fetch={fetch} navigate={navigate} />)
  return { ...view, fetch, navigate, requests, queryClient, notes }
}

import type { Page } from '@playwright/test'

/** A signed-in user as the BFF's `/auth/me` returns it. */
export const alice = {
  sub: 'alice',
  name: 'Alice Liddell',
  given_name: 'Alice',
  email: 'alice@example.com',
}

/** upstream-mock's `/api/me` answer, with its real long scope list. */
export const upstreamMe = {
  message: 'Hello from the upstream API',
  sub: 'alice',
  scope: 'openid profile email offline_access read:notes write:notes',
  receivedAuthorization: true,
  tokenType: 'DPoP',
  timestamp: '2026-11-27T10:00:00.000Z',
}

export const notes = [
  {
    id: '1',
    text: 'The access token never left the Worker.',
    createdAt: '2026-11-27T09:58:00.000Z',
  },
  {
    id: '2',
    text: 'This note went through POST /api/notes with X-CSRF: 1.',
    createdAt: '2026-11-27T10:01:00.000Z',
  },
]

/** How the BFF answers, at the network boundary; the pages, fonts and styles are the real build. */
export interface Backend {
  user: typeof alice | null
  /** HTTP status of `/api/me`. Default 200. */
  upstreamStatus?: number
  /** HTTP status of `/auth/me` when it fails (the Worker or its store is down). */
  meStatus?: number
}

/** One screen of the demo: where it is, what the BFF says, and when it is ready to look at. */
export interface Screen {
  /** File-name-safe id, also the screenshot's name. */
  id: string
  path: string
  backend: Backend
  ready: (page: Page) => Promise<void>
  /** Only at these widths (e.g. the mobile menu). Default: all. */
  widths?: number[]
}

export const WIDTHS = [390, 768, 1280] as const

export const screens: Screen[] = [
  {
    id: 'landing',
    path: '/',
    backend: { user: null },
    ready: (page) => page.getByTestId('login-button').waitFor(),
  },
  {
    id: 'landing-signed-in',
    path: '/',
    backend: { user: alice },
    ready: (page) => page.getByTestId('hero-dashboard-link').waitFor(),
  },
  {
    id: 'user-menu',
    path: '/',
    backend: { user: alice },
    widths: [768, 1280],
    ready: async (page) => {
      await page.getByTestId('user-menu-button').click()
      await page.getByTestId('user-menu').waitFor()
    },
  },
  {
    id: 'mobile-menu',
    path: '/',
    backend: { user: alice },
    widths: [390],
    ready: async (page) => {
      await page.getByTestId('mobile-menu-button').click()
      await page.getByTestId('mobile-menu').waitFor()
    },
  },
  {
    id: 'dashboard',
    path: '/dashboard',
    backend: { user: alice },
    ready: async (page) => {
      await page.getByTestId('upstream-json').waitFor()
      await page.getByTestId('notes-list').waitFor()
      await page.getByText('Verify: no JWT in your browser').click()
    },
  },
  {
    id: 'dashboard-upstream-error',
    path: '/dashboard',
    backend: { user: alice, upstreamStatus: 502 },
    ready: (page) => page.getByTestId('upstream-error').waitFor(),
  },
  {
    id: 'signed-out',
    path: '/dashboard',
    backend: { user: alice, upstreamStatus: 401 },
    ready: (page) => page.getByTestId('signed-out-notice').waitFor(),
  },
  {
    id: 'sign-in-cancelled',
    path: '/dashboard?auth_error=access_denied',
    backend: { user: null },
    ready: (page) => page.getByTestId('auth-error-code').waitFor(),
  },
  {
    id: 'sign-in-idp-down',
    path: '/sign-in?problem=idp_unavailable',
    backend: { user: null },
    ready: (page) => page.getByTestId('sign-in-page').waitFor(),
  },
  {
    id: 'session-unknown',
    path: '/dashboard',
    backend: { user: null, meStatus: 503 },
    // The guard's own error, not a cancelled read: "could not check" must name what failed.
    ready: (page) =>
      page
        .getByTestId('session-error')
        .getByText('GET /auth/me failed with HTTP 503')
        .waitFor({ timeout: 15_000 }),
  },
  {
    id: 'not-found',
    path: '/no/such/page',
    backend: { user: null },
    ready: (page) => page.getByTestId('not-found').waitFor(),
  },
]

/** Answers the page's BFF calls the way `backend` says. */
export async function routeBackend(page: Page, backend: Backend): Promise<void> {
  await page.route('**/auth/me', (route) =>
    backend.meStatus
      ? route.fulfill({ status: backend.meStatus, json: { error: 'store_failed' } })
      : route.fulfill({
          json: backend.user ? { user: backend.user, session: null } : { user: null },
        }),
  )
  await page.route('**/api/me', (route) => {
    const status = backend.upstreamStatus ?? 200
    return route.fulfill({
      status,
      json:
        status === 200
          ? upstreamMe
          : { error: 'upstream_error', message: 'the upstream API answered HTTP 500' },
    })
  })
  await page.route('**/api/notes', (route) => route.fulfill({ json: { notes } }))
  await page.route('**/api/idp-status', (route) => route.fulfill({ json: { reachable: true } }))
  // A login redirect must not leave the page under test.
  await page.route('**/auth/login**', (route) => route.fulfill({ status: 204 }))
}

import { test as base, expect, type Page } from '@playwright/test'

/** A compact JWS (JWT) anywhere in a text: base64url header and payload, both JSON objects. */
export const JWT_PATTERN = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/

function required(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run the suite through playwright.config.ts`)
  return value
}

/** The running topology (global-setup.ts). */
export const topology = {
  get appUrl() {
    return required('E2E_APP_URL')
  },
  get issuer() {
    return required('E2E_ISSUER')
  },
}

/** The session cookie bezzie sets (the `__Host-` prefix pins Secure, Path=/ and no Domain). */
export const SESSION_COOKIE = '__Host-session'

export const DEMO_USERS = {
  alice: { username: 'alice', name: 'Alice Liddell', firstName: 'Alice' },
  bob: { username: 'bob', name: 'Bob Builder', firstName: 'Bob' },
} as const

export type DemoUser = keyof typeof DEMO_USERS

interface Fixtures {
  /** Every response body the browser context received, scanned for a JWT after the test. */
  jwtGuard: { checked(): number }
}

export const test = base.extend<Fixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern.
  baseURL: async ({}, use) => {
    await use(topology.appUrl)
  },
  jwtGuard: [
    async ({ context }, use) => {
      const leaks: string[] = []
      const pending: Promise<void>[] = []
      let checked = 0
      context.on('response', (response) => {
        pending.push(
          (async () => {
            if (response.status() >= 300 && response.status() < 400) return
            const body = await response.text().catch(() => null)
            if (body === null) return
            checked += 1
            if (JWT_PATTERN.test(body))
              leaks.push(`${response.request().method()} ${response.url()}`)
          })(),
        )
      })
      await use({ checked: () => checked })
      await Promise.all(pending)
      expect(leaks, 'responses the browser received whose body contains a JWT').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }

/** Fills and submits the IdP's login form; the page must be on (or heading to) the IdP. */
export async function signInAtIdp(page: Page, user: DemoUser = 'alice'): Promise<void> {
  await page.waitForURL((url) => url.origin === new URL(topology.issuer).origin)
  await page.locator('input[name="username"]').fill(DEMO_USERS[user].username)
  await page.locator('input[name="password"]').fill('bezzie')
  await page.locator('button[type="submit"]').click()
}

/** Landing page → Log in → IdP → back on the app; resolves on `/dashboard` (the default). */
export async function logInFromLanding(page: Page, user: DemoUser = 'alice'): Promise<void> {
  await page.goto('/')
  await page.getByTestId('login-button').click()
  await signInAtIdp(page, user)
  await page.waitForURL(`${topology.appUrl}/dashboard`)
}

/** POSTs JSON to one of the IdP's `/__idp/` test controls (`reset-counts`, `end-session`). */
export async function idpControl(path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${topology.issuer}/__idp/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** The IdP's request counters (`grant:refresh_token`, `token`, …). */
export async function idpCounts(): Promise<Record<string, number>> {
  return (await (await fetch(`${topology.issuer}/__idp/counts`)).json()) as Record<string, number>
}

/** What `GET /auth/me` answers inside the page's browser context (its cookies). */
export async function authMe(page: Page): Promise<{ user: { sub: string; name?: string } | null }> {
  const res = await page.request.get('/auth/me')
  expect(res.status()).toBe(200)
  return (await res.json()) as { user: { sub: string; name?: string } | null }
}

/** Makes TanStack Query believe the window regained focus (headless tabs never lose it). */
export async function simulateFocus(page: Page): Promise<void> {
  await page.evaluate(() => {
    // TanStack Query's focusManager listens for `visibilitychange` on window (it bubbles there
    // from document when a real tab becomes visible).
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
    window.dispatchEvent(new Event('focus'))
  })
}

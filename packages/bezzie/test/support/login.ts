// The IdP's own fetch-only login driver (no Node APIs), imported by path because the package
// entry point also starts servers and cannot load inside workerd.
import { CookieJar, driveLogin } from '@bezzie/idp/client'
import type { Browser } from './browser.ts'

export const DEMO_CREDENTIALS = { username: 'alice', password: 'bezzie' }

/** Logs `browser` in through bezzie's real routes and the real IdP; returns the final response. */
export async function login(browser: Browser, loginPath = '/auth/login?returnTo=/dashboard') {
  const start = await browser.get(loginPath)
  if (start.status !== 302)
    throw new Error(`login did not redirect: ${start.status} ${await start.text()}`)
  const authorizationUrl = start.headers.get('location') as string
  const { callbackUrl } = await driveLogin(authorizationUrl, DEMO_CREDENTIALS)
  const callback = new URL(callbackUrl)
  return {
    authorizationUrl,
    callbackUrl,
    response: await browser.get(callback.pathname + callback.search),
  }
}

/** Reads a JSON control from the IdP's `/__idp/` routes. */
export async function idpCounts(issuer: string): Promise<Record<string, number>> {
  return (await (await fetch(`${issuer}/__idp/counts`)).json()) as Record<string, number>
}

export async function idpFault(
  issuer: string,
  endpoint: string,
  mode: string | null,
  times?: number,
) {
  const res = await fetch(`${issuer}/__idp/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ endpoint, mode, times }),
  })
  if (!res.ok) throw new Error(`fault setup failed: ${res.status}`)
}

export async function idpClearFaults(issuer: string) {
  await fetch(`${issuer}/__idp/faults`, {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
  })
}

/**
 * Follows the real IdP to its login page and presses Cancel there (the interaction's abort
 * route); resolves the authorization response the IdP redirects back with, not fetched.
 */
export async function cancelAtIdp(authorizationUrl: string): Promise<URL> {
  const jar = new CookieJar()
  let url = new URL(authorizationUrl)
  for (let hop = 0; hop < 10; hop++) {
    const cookie = jar.header(url)
    const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' })
    jar.store(url, res.headers.getSetCookie())
    const location = res.headers.get('location')
    if (location) {
      await res.body?.cancel()
      url = new URL(location, url)
      if (url.searchParams.has('error') && url.searchParams.has('iss')) return url
      continue
    }
    await res.text()
    if (!/^\/interaction\/[\w-]+$/.test(url.pathname)) throw new Error(`stuck at ${url.href}`)
    url = new URL(`${url.pathname}/abort`, url)
  }
  throw new Error('too many redirects')
}

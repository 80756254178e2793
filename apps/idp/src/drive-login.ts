import { CookieJar } from './cookie-jar.ts'

/** Result of {@link driveLogin}. */
export interface DriveLoginResult {
  /**
   * The client's redirect_uri with the authorization response (`code`, `state`, `iss`, or
   * `error`), not fetched: hand it to the client's callback with the client's own cookies.
   */
  callbackUrl: string
}

const MAX_HOPS = 20

function isAuthorizationResponse(url: URL): boolean {
  // oidc-provider always adds `iss` to authorization responses (RFC 9207), and no hop before
  // the client's redirect_uri carries both it and a code or an error.
  return (
    url.searchParams.has('iss') && (url.searchParams.has('code') || url.searchParams.has('error'))
  )
}

function decodeEntities(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
}

function loginFormAction(html: string): string | undefined {
  if (!/name="username"/.test(html) || !/name="password"/.test(html)) return undefined
  const action = /<form[^>]*\saction="([^"]*)"/i.exec(html)?.[1]
  return action === undefined ? undefined : decodeEntities(action)
}

function pageError(html: string): string | undefined {
  const alert = /role="alert">([\s\S]*?)<\/div>/.exec(html)?.[1]
  return alert === undefined ? undefined : decodeEntities(alert.replace(/<[^>]+>/g, ''))
}

/**
 * Logs a demo user in with plain `fetch`, no browser: starting at `authorizationUrl` (the IdP's
 * authorization endpoint, or a client route such as bezzie's `/auth/login` that redirects there)
 * it follows redirects with its own cookie jar, submits the IdP's login form, lets the IdP grant
 * consent, and stops at the redirect to the client's redirect_uri without fetching it.
 *
 * Cookies set by hops before the IdP (e.g. the client's login-transaction cookie) are kept only in
 * this helper's jar: when the client needs them at its callback, fetch the first hop yourself and
 * pass the IdP URL from its `Location` header.
 *
 * For tests and development tooling only.
 * @throws Error naming the page's message when the login fails (e.g. a wrong password) or the
 *   chain ends anywhere but at a redirect carrying an authorization response.
 */
export async function driveLogin(
  authorizationUrl: string,
  credentials: { username: string; password: string },
): Promise<DriveLoginResult> {
  const jar = new CookieJar()
  let url = new URL(authorizationUrl)
  let request: RequestInit = { method: 'GET' }
  let submitted = false
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const cookie = jar.header(url)
    const response = await fetch(url, {
      ...request,
      headers: { ...(request.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
      redirect: 'manual',
    })
    jar.store(url, response.headers.getSetCookie())
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel()
      const next = new URL(location, url)
      if (isAuthorizationResponse(next)) return { callbackUrl: next.href }
      url = next
      request = { method: 'GET' }
      continue
    }
    const html = await response.text()
    const action = loginFormAction(html)
    if (action !== undefined && !submitted) {
      submitted = true
      url = new URL(action, url)
      request = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(credentials).toString(),
      }
      continue
    }
    const message = pageError(html) ?? `unexpected HTTP ${response.status} response`
    throw new Error(`driveLogin: ${message} (at ${url.origin}${url.pathname})`)
  }
  throw new Error(`driveLogin: more than ${MAX_HOPS} redirects`)
}

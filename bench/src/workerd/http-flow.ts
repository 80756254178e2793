import { driveLogin } from '@bezzie/idp'
import { cookieHeader } from '../lib/cookies.ts'
import { ALICE } from '../lib/idp.ts'

/** The two legs of a login over HTTP, so a caller can count what each one costs. */
export interface HttpLogin {
  /** `GET <authBase>/login` done; call `finish()` for the IdP form and the callback. */
  finish(): Promise<string>
}

/**
 * Starts a real login through a Worker's own routes over HTTP, as a browser would:
 * `GET <authBase>/login`, then (in `finish`) the IdP login form and `GET <authBase>/callback`
 * with the transaction cookie. `finish` resolves the session `Cookie` header.
 */
export async function startHttpLogin(authBase: string): Promise<HttpLogin> {
  const start = await fetch(`${authBase}/login?returnTo=/`, { redirect: 'manual' })
  await start.arrayBuffer()
  const location = start.headers.get('location')
  if (!location) throw new Error(`${authBase}/login answered ${start.status} without a redirect`)
  const transaction = cookieHeader(start.headers.getSetCookie())
  return {
    async finish() {
      const { callbackUrl } = await driveLogin(location, ALICE)
      const cb = await fetch(callbackUrl, {
        redirect: 'manual',
        headers: transaction ? { cookie: transaction } : {},
      })
      const body = await cb.text()
      const cookie = cookieHeader(cb.headers.getSetCookie())
      if (cb.status >= 400 || !cookie)
        throw new Error(`${authBase}/callback answered ${cb.status}: ${body.slice(0, 200)}`)
      return cookie
    },
  }
}

/** Logs in and checks that `apiUrl` then answers 200; resolves the session `Cookie` header. */
export async function httpLogin(authBase: string, apiUrl: string): Promise<string> {
  const cookie = await (await startHttpLogin(authBase)).finish()
  const check = await fetch(apiUrl, { headers: { cookie } })
  await check.arrayBuffer()
  if (check.status !== 200) throw new Error(`${apiUrl} answered ${check.status} after login`)
  return cookie
}

/**
 * Logs in through @hono/oidc-auth's own flow over HTTP: the guarded URL redirects to the IdP (with
 * its state, nonce and PKCE cookies), the IdP login form, then its `/callback`. Resolves the
 * `Cookie` header carrying its signed session.
 */
export async function oidcAuthHttpLogin(guardedUrl: string): Promise<string> {
  const start = await fetch(guardedUrl, { redirect: 'manual' })
  await start.arrayBuffer()
  const location = start.headers.get('location')
  if (!location) throw new Error(`${guardedUrl} answered ${start.status} without a redirect`)
  const { callbackUrl } = await driveLogin(location, ALICE)
  const cb = await fetch(callbackUrl, {
    redirect: 'manual',
    headers: { cookie: cookieHeader(start.headers.getSetCookie()) },
  })
  const body = await cb.text()
  const cookie = cookieHeader(cb.headers.getSetCookie(), ['oidc-auth'])
  if (cb.status >= 400 || !cookie)
    throw new Error(`@hono/oidc-auth callback answered ${cb.status}: ${body.slice(0, 200)}`)
  const check = await fetch(guardedUrl, { headers: { cookie } })
  await check.arrayBuffer()
  if (check.status !== 200) throw new Error(`${guardedUrl} answered ${check.status} after login`)
  return cookie
}

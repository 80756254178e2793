import { driveLogin } from '@bezzie/idp'
import { getAuth, initOidcAuthMiddleware, oidcAuthMiddleware } from '@hono/oidc-auth'
import { Hono } from 'hono'
import type { AppLike } from '../lib/app-like.ts'
import { cookieHeader } from '../lib/cookies.ts'
import { ALICE, OIDC_AUTH_CLIENT } from '../lib/idp.ts'

/** 32+ characters, as @hono/oidc-auth requires for its HS256 session-cookie key. */
export const OIDC_AUTH_SESSION_SECRET = 'bench-oidc-auth-session-secret-0123456789'

/** The Hono peer a user would otherwise pick: @hono/oidc-auth guarding `/api/*`. */
export function oidcAuthApp(issuer: string): Hono {
  const app = new Hono()
  app.use(
    '*',
    initOidcAuthMiddleware({
      OIDC_AUTH_SECRET: OIDC_AUTH_SESSION_SECRET,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: OIDC_AUTH_CLIENT.clientId,
      OIDC_CLIENT_SECRET: OIDC_AUTH_CLIENT.clientSecret,
      OIDC_REDIRECT_URI: '/callback',
      OIDC_SCOPES: 'openid profile email',
    }),
  )
  app.use('/callback', oidcAuthMiddleware())
  app.use('/api/*', oidcAuthMiddleware())
  app.get('/api/user', async (c) => {
    const auth = await getAuth(c)
    return c.json({ user: { sub: auth?.sub, email: auth?.email } })
  })
  return app
}

/**
 * Logs alice in through @hono/oidc-auth's own flow against the real IdP (its redirect to the
 * authorization endpoint, the IdP's login form, its callback and code exchange) and returns the
 * signed session cookie it sets.
 */
export async function oidcAuthLogin(app: AppLike): Promise<string> {
  const start = await app.request('/api/user')
  const location = start.headers.get('location')
  if (start.status !== 302 || !location)
    throw new Error(`@hono/oidc-auth did not redirect to the IdP (status ${start.status})`)
  const { callbackUrl } = await driveLogin(location, ALICE)
  const callback = await app.request(callbackUrl, {
    headers: { cookie: cookieHeader(start.headers.getSetCookie()) },
  })
  const session = cookieHeader(callback.headers.getSetCookie(), ['oidc-auth'])
  if (callback.status !== 302 || !session) {
    throw new Error(
      `@hono/oidc-auth callback failed (status ${callback.status}): ${await callback.text()}`,
    )
  }
  return session
}

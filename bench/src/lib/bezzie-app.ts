import { driveLogin } from '@bezzie/idp'
import type { BezzieEnv, SessionAdapter } from 'bezzie'
import { type Context, Hono } from 'hono'
import type { AppLike } from './app-like.ts'
import { cookieHeader, mergeCookies } from './cookies.ts'
import { distReady } from './dist-ready.ts'
import { ALICE, APP_ORIGIN, AUDIENCE, BEZZIE_CLIENT } from './idp.ts'

type BezzieModule = typeof import('bezzie')
type CreateBezzie = BezzieModule['createBezzie']
export type Bezzie = ReturnType<CreateBezzie>

/** Loads the built library; fails with a clear reason when it is not built (or not written) yet. */
export async function loadBezzie(): Promise<BezzieModule> {
  try {
    await distReady('packages/bezzie')
    return await import('bezzie')
  } catch (err) {
    throw new Error(
      `bezzie is not importable (build it: pnpm --filter bezzie build): ${(err as Error).message}`,
    )
  }
}

/** A 32+ character secret for the scenarios that encrypt sessions at rest. */
export const BENCH_SECRET = 'bench-session-encryption-secret-0123456789'

export interface BezzieAppOptions {
  issuer: string
  adapter: SessionAdapter
  /** Build `createBezzie(...)` inside every request (the demo's pattern) instead of once. */
  perRequest?: boolean
  validateAccessToken?: boolean
  secret?: string
  refreshBufferSeconds?: number
  origin?: string
  /** Collects errors bezzie reports instead of printing them. */
  errors?: unknown[]
}

/**
 * The app every bezzie scenario runs: routes at `/auth`, `GET /api/user` behind `auth.middleware()`
 * answering the same JSON as the bare baseline.
 */
export function bezzieApp(bz: BezzieModule, options: BezzieAppOptions): Hono<BezzieEnv> {
  const make = () => bezzieAuth(bz, options)
  const app = new Hono<BezzieEnv>()
  if (options.perRequest) {
    app.all('/auth/*', (c) => new Hono().route('/auth', make().routes()).fetch(c.req.raw))
    // A fresh instance per request, as the demo Worker does inside fetch.
    app.use('/api/*', (c, next) => make().middleware()(c as unknown as Context<BezzieEnv>, next))
  } else {
    const auth = make()
    app.route('/auth', auth.routes())
    app.use('/api/*', auth.middleware())
  }
  app.get('/api/user', (c) => c.json({ user: { sub: c.var.user.sub, email: c.var.user.email } }))
  return app
}

/** The `createBezzie` call behind {@link bezzieApp}, e.g. for `auth.sessions.create`. */
export function bezzieAuth(bz: BezzieModule, options: BezzieAppOptions): Bezzie {
  const {
    issuer,
    adapter,
    validateAccessToken = false,
    secret,
    refreshBufferSeconds,
    origin = APP_ORIGIN,
  } = options
  return bz.createBezzie({
    issuer,
    clientId: BEZZIE_CLIENT.clientId,
    clientSecret: BEZZIE_CLIENT.clientSecret,
    audience: AUDIENCE,
    adapter,
    baseUrl: origin,
    validateAccessToken,
    ...(secret ? { secret } : {}),
    ...(refreshBufferSeconds !== undefined ? { refreshBufferSeconds } : {}),
    ...(options.errors ? { onError: (error: unknown) => void options.errors?.push(error) } : {}),
  })
}

/** Unsafe-method headers a same-origin browser sends (Fetch Metadata + Origin), for CSRF checks. */
export const sameOrigin = (origin = APP_ORIGIN) => ({ origin, 'sec-fetch-site': 'same-origin' })

/**
 * A real authorization-code login through bezzie's own routes and the real IdP: `/auth/login`,
 * the IdP's login form (driveLogin), then `/auth/callback` with the browser's cookies. Returns the
 * `Cookie` header a browser would then send.
 */
export async function bezzieLogin(app: AppLike, origin = APP_ORIGIN): Promise<string> {
  const start = await app.request(`${origin}/auth/login?returnTo=/`)
  const location = start.headers.get('location')
  if (start.status < 300 || start.status >= 400 || !location) {
    throw new Error(
      `bezzie /auth/login did not redirect (status ${start.status}): ${await start.text()}`,
    )
  }
  const transaction = cookieHeader(start.headers.getSetCookie())
  const { callbackUrl } = await driveLogin(location, ALICE)
  const callback = await app.request(callbackUrl, {
    headers: transaction ? { cookie: transaction } : {},
  })
  if (callback.status < 300 || callback.status >= 400) {
    throw new Error(
      `bezzie /auth/callback failed (status ${callback.status}): ${await callback.text()}`,
    )
  }
  const session = cookieHeader(callback.headers.getSetCookie())
  if (!session) throw new Error('bezzie /auth/callback set no session cookie')
  return mergeCookies(session)
}

/** `POST /auth/logout` as the browser's logout form would send it. */
export async function bezzieLogout(
  app: AppLike,
  cookie: string,
  origin = APP_ORIGIN,
): Promise<Response> {
  return app.request(`${origin}/auth/logout`, {
    method: 'POST',
    headers: { cookie, ...sameOrigin(origin) },
  })
}

import type { BezzieUser } from '@bezzie/contract'
import type { Context } from 'hono'

// The user type is part of the wire contract shared with bezzie-react (`GET /me`).
export type { BezzieUser }

/** The tokens held in a session. Never sent to the browser. */
export interface SessionTokens {
  accessToken: string
  refreshToken?: string
  idToken?: string
  /** When the access token expires (epoch seconds). */
  expiresAt: number
  /**
   * The scopes granted with the access token (space-separated), as the token response named
   * them; absent when the IdP left `scope` out (RFC 6749 §5.1: then as requested).
   */
  scope?: string
}

/** Options of {@link GetAccessToken}. */
export interface GetAccessTokenOptions {
  /**
   * The API (RFC 8707 resource indicator, or Auth0 audience) to get the user's token for.
   * Default: the configured `audience` (the session's own access token).
   */
  resource?: string
}

/**
 * `c.var.getAccessToken()`: the signed-in user's access token for an API, for handlers that call
 * more than one. For another API than `audience` it is obtained with the session's refresh token
 * and kept per session until near expiry (see `resources`). Rejects with `TokenRequestError`.
 */
export type GetAccessToken = (options?: GetAccessTokenOptions) => Promise<string>

/**
 * The Hono environment `auth.middleware()` provides:
 * `new Hono<BezzieEnv>()` types `c.var.user` and `c.var.accessToken`.
 */
export type BezzieEnv = {
  Variables: {
    user: BezzieUser
    accessToken: string
    getAccessToken: GetAccessToken
  }
}

/** The Hono environment `auth.optionalMiddleware()` provides (both `null` when signed out). */
export type BezzieOptionalEnv = {
  Variables: {
    user: BezzieUser | null
    accessToken: string | null
    getAccessToken: GetAccessToken | null
  }
}

/** What `onLogin` receives. */
export interface LoginEvent {
  user: BezzieUser
  /** The validated ID token claims. */
  claims: Record<string, unknown>
  context: Context
}

/** What `onRefresh` receives. */
export interface RefreshEvent {
  user: BezzieUser
  /** When the new access token expires (epoch seconds). */
  expiresAt: number
}

/** What `onLogout` receives. */
export interface LogoutEvent {
  user: BezzieUser
  context: Context
}

declare module 'hono' {
  /**
   * Makes `c.var.user` / `c.var.accessToken` usable on any `Hono` app, as the upstream README
   * writes them (`new Hono()` without a type argument). Nullable here because nothing guarantees
   * a bezzie middleware ran; `new Hono<BezzieEnv>()` narrows both to non-null.
   */
  interface ContextVariableMap {
    user: BezzieUser | null
    accessToken: string | null
    getAccessToken: GetAccessToken | null
  }
}

/**
 * The claims of the signed-in user as returned by `GET {basePath}/me`.
 *
 * `sub` is always present (OpenID Connect Core 1.0 §5.1); everything else depends on the
 * scopes requested and on the BFF's `mapClaims`. Pass your own type to `useUser<TUser>()` for
 * stricter typing.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
export interface BezzieUser {
  sub: string
  name?: string
  given_name?: string
  family_name?: string
  email?: string
  email_verified?: boolean
  picture?: string
  [claim: string]: unknown
}

/** Session lifetimes reported by the BFF, as Unix timestamps in seconds. */
export interface BezzieSession {
  /** When the session expires if idle (sliding). Seconds since the Unix epoch. */
  expiresAt: number
  /** When the session expires regardless of activity. Seconds since the Unix epoch. */
  absoluteExpiresAt: number
}

/**
 * The cached answer of `GET {basePath}/me`: a user and their session, or `null` for both when
 * nobody is signed in.
 */
export interface BezzieMe<TUser = BezzieUser> {
  user: TUser | null
  session: BezzieSession | null
}

/** Replaces the current page with `url` (a top-level navigation). Default: `location.assign`. */
export type Navigate = (url: string) => void

/** The `fetch` bezzie uses for `/me` and API calls; a seam for tests and SSR. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

import type { BezzieUser, MeSession } from '@bezzie/contract'

// The user, the session and the `/me` body are the wire contract shared with the bezzie BFF
// (bundled from @bezzie/contract, so the two packages cannot drift apart). Pass your own user
// type to `useUser<TUser>()` for stricter typing.
export type { BezzieUser, MeResponse } from '@bezzie/contract'

/** Session lifetimes reported by the BFF, as Unix timestamps in seconds. */
export type BezzieSession = MeSession

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

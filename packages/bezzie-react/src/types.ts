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

/**
 * One signed-in device of the user, as `GET {basePath}/sessions` lists it. Times are Unix
 * timestamps in seconds.
 */
export interface BezzieDevice {
  /** Opaque handle to sign this device out with; never the session cookie. */
  id: string
  /** When the user signed in on this device. */
  createdAt: number
  /** When the device last used its session (to within the BFF's touch interval). */
  lastSeenAt: number
  /** When the session ends unless used again. */
  expiresAt: number
  /** A coarse label from the sign-in's User-Agent, e.g. `"Safari on iPhone"`. */
  device: string
  /** Country at sign-in (ISO 3166-1 alpha-2) where the BFF's runtime knows it, else `null`. */
  country: string | null
  /** True for the device this page runs on. */
  current: boolean
}

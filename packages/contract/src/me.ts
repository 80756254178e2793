import type { BezzieUser } from './user.ts'

/** Session lifetimes reported by `GET {basePath}/me`, as Unix timestamps in seconds. */
export interface MeSession {
  /** When the session ends unless used again (idle expiry, capped by the absolute one). */
  expiresAt: number
  /** When the session ends regardless of activity. */
  absoluteExpiresAt: number
}

/**
 * The JSON body of `GET {basePath}/me`: the signed-in user and their session, or `{ user: null }`
 * when nobody is signed in. Always `200`; never a token.
 */
export type MeResponse<TUser = BezzieUser> =
  | { user: TUser; session: MeSession }
  | { user: null; session?: undefined }

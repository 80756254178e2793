import type { AccessTokenClaims } from './verify-access-token.ts'

/** Hono context typing for this Worker: its bindings and what `requireBearer` sets. */
export type AppEnv = {
  Bindings: Env
  Variables: {
    claims: AccessTokenClaims
    /** How the token came: `"DPoP"` (bound, with a verified proof) or `"Bearer"`. */
    tokenType: 'Bearer' | 'DPoP'
  }
}

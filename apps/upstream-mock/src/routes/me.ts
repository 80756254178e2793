import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'

/** Body of `GET /api/me`. */
export interface MeResponse {
  message: string
  sub: string
  /** The token's `scope` claim, or `null` when it has none. */
  scope: string | null
  /** Always `true`: the request reached this handler only with a verified bearer token. */
  receivedAuthorization: true
  /** How the token came: `"DPoP"` (sender-constrained, proof verified) or `"Bearer"`. */
  tokenType: 'Bearer' | 'DPoP'
  /** ISO 8601 time of the response. */
  timestamp: string
}

/** `GET /api/me`: proof that the bearer token was received and verified. */
export const meRoutes = new Hono<AppEnv>().get('/', (c) => {
  const claims = c.get('claims')
  const body: MeResponse = {
    message: 'Hello from the upstream API — your token was verified',
    sub: claims.sub,
    scope: claims.scope ?? null,
    receivedAuthorization: true,
    tokenType: c.get('tokenType'),
    timestamp: new Date().toISOString(),
  }
  return c.json(body)
})

import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'

/** Body of `GET /billing/api/whoami`. */
export interface BillingWhoamiResponse {
  api: 'billing'
  /** The verified token's `aud`: this API's own audience (`BILLING_AUDIENCE`). */
  aud: string | string[]
  /** The token's subject: the user, or the client itself for a client credentials token. */
  sub: string
  /** The `client_id` claim: the BFF the token was issued to, or `null` when absent. */
  clientId: string | null
  /** The token's `scope` claim, or `null`. */
  scope: string | null
  /** How the token came: `"DPoP"` or `"Bearer"`. */
  tokenType: 'Bearer' | 'DPoP'
}

/**
 * `GET /billing/api/whoami`: the second API (its own audience), answering with what it verified,
 * so a test can tell which token a BFF sent to which API.
 */
export const billingRoutes = new Hono<AppEnv>().get('/', (c) => {
  const claims = c.get('claims')
  const body: BillingWhoamiResponse = {
    api: 'billing',
    aud: claims.aud ?? [],
    sub: claims.sub,
    clientId: typeof claims.client_id === 'string' ? claims.client_id : null,
    scope: claims.scope ?? null,
    tokenType: c.get('tokenType'),
  }
  c.header('Cache-Control', 'no-store')
  return c.json(body)
})

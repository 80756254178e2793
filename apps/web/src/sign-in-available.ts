import type { FetchLike } from 'bezzie-react'

/** The demo worker's probe of its IdP (apps/worker `GET /api/idp-status`). */
export const IDP_STATUS_PATH = '/api/idp-status'

/**
 * Whether a login can start: asks the BFF whether it reaches the IdP. `false` only when the BFF
 * says the IdP is down (503) or the BFF itself cannot be reached; any other answer (an older
 * worker without the route) lets the login go ahead, so the check can only help.
 */
export async function signInAvailable(fetch: FetchLike): Promise<boolean> {
  try {
    const response = await fetch(IDP_STATUS_PATH, { headers: { accept: 'application/json' } })
    await response.body?.cancel()
    return response.status !== 503 && response.status !== 502
  } catch {
    return false
  }
}

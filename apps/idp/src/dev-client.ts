import type { ClientMetadata } from 'oidc-provider'

/** Client id of the BFF used by `pnpm dev`. */
export const DEV_CLIENT_ID = 'bezzie-dev'
/** Client secret of the BFF used by `pnpm dev`. Development only: it is public. */
export const DEV_CLIENT_SECRET = 'bezzie-dev-secret'

/**
 * The confidential client the dev BFF (Vite on :5173 proxying to the worker on :8787) logs in
 * with: authorization code + refresh token, `client_secret_basic` (oidc-provider accepts
 * `client_secret_post` from the same client too).
 */
export function devClient(options: { backchannelLogoutUri?: string } = {}): ClientMetadata {
  return {
    client_id: DEV_CLIENT_ID,
    client_secret: DEV_CLIENT_SECRET,
    client_name: 'Bezzie demo',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: ['http://localhost:5173/auth/callback', 'http://localhost:8787/auth/callback'],
    post_logout_redirect_uris: [
      'http://localhost:5173/',
      'http://localhost:5173',
      'http://localhost:8787/',
      'http://localhost:8787',
    ],
    ...(options.backchannelLogoutUri
      ? {
          backchannel_logout_uri: options.backchannelLogoutUri,
          backchannel_logout_session_required: true,
        }
      : {}),
  }
}

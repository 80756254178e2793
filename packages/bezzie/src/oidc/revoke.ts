import * as oauth from 'oauth4webapi'
import type { ResolvedConfig } from '../config.ts'
import type { BezzieError } from '../errors.ts'
import { RevocationError } from '../errors.ts'
import type { Oidc } from './client.ts'
import { idpRequestOptions } from './http.ts'

/**
 * Revokes a refresh token at the IdP's revocation endpoint (a no-op when it has none). Best
 * effort: a failure is reported through `onError` as `revocation_failed` and never thrown, because
 * the caller is ending the session either way.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009
 */
export async function revokeRefreshToken(
  rt: { config: Pick<ResolvedConfig, 'insecureIssuer'>; report(error: BezzieError): void },
  oidc: Oidc,
  refreshToken: string,
): Promise<void> {
  if (!oidc.as.revocation_endpoint) return
  try {
    const response = await oauth.revocationRequest(
      oidc.as,
      oidc.client,
      oidc.clientAuth,
      refreshToken,
      {
        ...idpRequestOptions(rt.config.insecureIssuer),
        additionalParameters: { token_type_hint: 'refresh_token' },
      },
    )
    await oauth.processRevocationResponse(response)
  } catch (e) {
    rt.report(new RevocationError('refresh token revocation failed', e))
  }
}

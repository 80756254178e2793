import type { ResolvedConfig } from '../config.ts'
import { type BezzieError, TokenExchangeError } from '../errors.ts'
import type { Oidc } from '../oidc/client.ts'
import { isKeyFetchFailure, looksLikeJwt } from '../oidc/jwks.ts'
import { accessTokenTrusted, checkAccessToken } from '../oidc/tokens.ts'
import type { LoadedSession } from '../session/load.ts'
import { ok, type RefreshOutcome } from './outcome.ts'

/** What verifying an access token needs: the config (issuer, audience, clock) and `report`. */
export interface VerifyDeps {
  config: ResolvedConfig
  report: (error: BezzieError) => void
}

/** Whether `accessToken` is a JWT bezzie can and must verify (an `audience` is configured). */
export function needsVerification(
  config: ResolvedConfig,
  oidc: Oidc,
  accessToken: string,
): boolean {
  return (
    config.audience !== undefined && oidc.as.jwks_uri !== undefined && looksLikeJwt(accessToken)
  )
}

/**
 * Verifies a freshly stored access token. A failure (keys out of reach, an unknown `kid`, a clock
 * far off) answers 503 and keeps the new tokens: the next request tries again.
 */
export async function verifyRefreshed(
  deps: VerifyDeps,
  oidc: Oidc,
  session: LoadedSession,
): Promise<RefreshOutcome> {
  if (!session.record.accessTokenUnverified) return ok(session)
  const outcome = await verifyStoredToken(deps, oidc, session)
  if (outcome === 'verified') return ok(session)
  return { status: 'unavailable', retryAfterSeconds: 1 }
}

/**
 * Verifies the session's access token (a token this isolate verified recently is trusted).
 * `'verified'`, `'unreachable'` (the IdP's keys could not be had) or `'invalid'`.
 */
export async function verifyStoredToken(
  { config, report }: VerifyDeps,
  oidc: Oidc,
  session: LoadedSession,
): Promise<'verified' | 'unreachable' | 'invalid'> {
  const { accessToken } = session.record.tokens
  if (accessTokenTrusted(config, accessToken)) return 'verified'
  try {
    await checkAccessToken(config, oidc, accessToken)
  } catch (e) {
    report(new TokenExchangeError('access_token_invalid', 'the access token did not verify', e))
    return isKeyFetchFailure(e) ? 'unreachable' : 'invalid'
  }
  return 'verified'
}

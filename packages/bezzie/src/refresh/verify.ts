import type { ResolvedConfig } from '../config.ts'
import { type BezzieError, TokenExchangeError } from '../errors.ts'
import type { Oidc } from '../oidc/client.ts'
import { isKeyFetchFailure, looksLikeJwt } from '../oidc/jwks.ts'
import { accessTokenTrusted, checkAccessToken, trustedByRecord } from '../oidc/tokens.ts'
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
 * Verifies the session's access token. Trusted without a signature check: a token this isolate
 * verified recently, or one whose record carries bezzie's mark of its verification for this
 * issuer and audience with a key the IdP still publishes (see `trustedByRecord`).
 * `'verified'`, `'unreachable'` (the IdP's keys could not be had) or `'invalid'`.
 */
export async function verifyStoredToken(
  { config, report }: VerifyDeps,
  oidc: Oidc,
  session: LoadedSession,
): Promise<'verified' | 'unreachable' | 'invalid'> {
  const { accessToken } = session.record.tokens
  if (accessTokenTrusted(config, accessToken) || trustedByRecord(config, oidc, session.record))
    return 'verified'
  try {
    await checkAccessToken(config, oidc, accessToken)
  } catch (e) {
    report(new TokenExchangeError('access_token_invalid', 'the access token did not verify', e))
    return isKeyFetchFailure(e) ? 'unreachable' : 'invalid'
  }
  return 'verified'
}

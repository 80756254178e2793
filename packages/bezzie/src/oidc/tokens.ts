import type * as oauth from 'oauth4webapi'
import { type Clock, epochSeconds } from '../clock.ts'
import type { ResolvedConfig } from '../config.ts'
import type { AccessTokenMark, SessionRecord } from '../session/record.ts'
import type { SessionTokens } from '../types.ts'
import type { Oidc } from './client.ts'
import { heldDiscovery } from './discovery.ts'
import {
  looksLikeJwt,
  trustedByMark,
  type VerifyOptions,
  verifiedRecently,
  verifyJwtAccessToken,
  verifyWithKeysAtHand,
} from './jwks.ts'

/** Assumed access token lifetime (in seconds) when the IdP sends no `expires_in`. */
const DEFAULT_EXPIRES_IN = 3600

/** What verifying an access token for `config` needs; `undefined`: nothing to verify locally. */
function verifyOptions(
  config: ResolvedConfig,
  oidc: Pick<Oidc, 'as'>,
  accessToken: string,
): VerifyOptions | undefined {
  if (!config.audience || !looksLikeJwt(accessToken) || !oidc.as.jwks_uri) return undefined
  return {
    jwksUri: oidc.as.jwks_uri,
    issuer: oidc.as.issuer,
    audience: config.audience,
    scope: trustScope(config, config.audience),
    clockToleranceSeconds: config.tokens.clockToleranceSeconds,
  }
}

/**
 * Verifies a JWT access token when `audience` is configured (opaque tokens, or no audience:
 * nothing to verify locally). Throws jose's error on failure. Answers the mark the session record
 * keeps of the verification (see {@link AccessTokenMark}), when there is one to keep.
 */
export async function checkAccessToken(
  config: ResolvedConfig,
  oidc: Pick<Oidc, 'as'>,
  accessToken: string,
): Promise<AccessTokenMark | undefined> {
  const options = verifyOptions(config, oidc, accessToken)
  return options && verifyJwtAccessToken(accessToken, options)
}

/**
 * {@link checkAccessToken}, but only when no IdP call is needed for it (the keys are at hand and
 * the token is the plain case): its mark, or `undefined` for "not verified now", never "invalid".
 */
export function checkAccessTokenAtHand(
  config: ResolvedConfig,
  oidc: Pick<Oidc, 'as'>,
  accessToken: string,
): Promise<AccessTokenMark | undefined> {
  const options = verifyOptions(config, oidc, accessToken)
  return options ? verifyWithKeysAtHand(accessToken, options) : Promise.resolve(undefined)
}

/**
 * True when the record's {@link AccessTokenMark} vouches for its access token now: verified by
 * bezzie when written, for this issuer and audience, with a key the IdP's key set (as this
 * isolate holds it) still publishes, and `exp`/`nbf` hold. No signature check.
 */
export function trustedByRecord(
  config: ResolvedConfig,
  oidc: Pick<Oidc, 'as'>,
  record: Pick<SessionRecord, 'tokens' | 'accessTokenVerified'>,
): boolean {
  const { accessToken } = record.tokens
  const options = record.accessTokenVerified && verifyOptions(config, oidc, accessToken)
  return !!options && trustedByMark(accessToken, record.accessTokenVerified, options)
}

const scopes = new WeakMap<ResolvedConfig, string>()

/**
 * What a remembered verification is valid for: this issuer and this audience. Built once per
 * resolved configuration: it is asked for on every request with `validateAccessToken`.
 */
function trustScope(config: ResolvedConfig, audience: string): string {
  let scope = scopes.get(config)
  if (scope === undefined) {
    scope = `${config.issuer.href} ${audience}`
    scopes.set(config, scope)
  }
  return scope
}

/**
 * True when {@link checkAccessToken} has nothing to do for `accessToken` right now: no `audience`
 * is configured, or this isolate verified the token's signature, `iss` and `aud` recently and its
 * `exp`/`nbf` hold now. Synchronous: the steady-state request makes no promise hop for it.
 */
export function accessTokenTrusted(config: ResolvedConfig, accessToken: string): boolean {
  return !config.audience || verifiedRecently(accessToken, trustScope(config, config.audience))
}

/**
 * {@link accessTokenTrusted}, or {@link trustedByRecord} when the issuer's metadata is already
 * held: the same answer `verifyStoredToken` starts with, without a promise hop. So a cold read of
 * a marked record (a new isolate, or one whose memo no longer holds the token) completes as
 * synchronously as a warm one. `false` means "ask `verifyStoredToken`", never "invalid".
 */
export function accessTokenTrustedNow(
  config: ResolvedConfig,
  record: Pick<SessionRecord, 'tokens' | 'accessTokenVerified'>,
): boolean {
  if (accessTokenTrusted(config, record.tokens.accessToken)) return true
  const as = record.accessTokenVerified && heldDiscovery(config.issuer)
  return !!as && trustedByRecord(config, { as }, record)
}

/**
 * Session tokens from a token endpoint response. A refresh response without a new refresh token
 * (no rotation) keeps the previous one; likewise the ID token.
 */
export function sessionTokens(
  response: oauth.TokenEndpointResponse,
  now: Clock,
  previous?: SessionTokens,
): SessionTokens {
  const expiresIn =
    typeof response.expires_in === 'number' && response.expires_in > 0
      ? response.expires_in
      : DEFAULT_EXPIRES_IN
  const tokens: SessionTokens = {
    accessToken: response.access_token,
    expiresAt: epochSeconds(now) + expiresIn,
  }
  const refreshToken = response.refresh_token ?? previous?.refreshToken
  if (refreshToken) tokens.refreshToken = refreshToken
  const idToken = response.id_token ?? previous?.idToken
  if (idToken) tokens.idToken = idToken
  const scope = typeof response.scope === 'string' ? response.scope : previous?.scope
  if (scope !== undefined) tokens.scope = scope
  return tokens
}

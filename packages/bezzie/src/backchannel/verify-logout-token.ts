import { type JWTPayload, errors as joseErrors, jwtVerify } from 'jose'
import { LogoutTokenError } from '../errors.ts'
import { isKeyFetchFailure, jwksFor } from '../oidc/jwks.ts'

/** The `events` member that marks a JWT as a back-channel logout token. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout'

/** How old (in seconds, by `iat`) a logout token may be. Its `jti` is remembered at least this long. */
export const LOGOUT_TOKEN_MAX_AGE_SECONDS = 300
/** Clock skew (in seconds) tolerated between the IdP and this Worker. */
export const LOGOUT_TOKEN_CLOCK_TOLERANCE_SECONDS = 30

/** The claims bezzie acts on, from a verified logout token. */
export interface LogoutTokenClaims {
  jti: string
  /** The IdP session to end; when absent, every session of `sub` ends. */
  sid?: string
  sub?: string
}

/**
 * Validates a back-channel logout token: signature against the IdP's JWKS (cached per isolate),
 * `iss`, `aud` = client id, `iat` within {@link LOGOUT_TOKEN_MAX_AGE_SECONDS}, `exp` if present,
 * a `jti`, the back-channel logout `events` member, `sid` and/or `sub`, and no `nonce`. Replay
 * (`jti`) is checked by the caller, which owns the store.
 *
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#Validation
 */
export async function verifyLogoutToken(
  token: string,
  expected: { issuer: string; clientId: string; jwksUri: string },
): Promise<LogoutTokenClaims> {
  let payload: JWTPayload
  try {
    const result = await jwtVerify(token, jwksFor(expected.jwksUri), {
      issuer: expected.issuer,
      audience: expected.clientId,
      requiredClaims: ['iat', 'jti', 'events'],
      maxTokenAge: LOGOUT_TOKEN_MAX_AGE_SECONDS,
      clockTolerance: LOGOUT_TOKEN_CLOCK_TOLERANCE_SECONDS,
    })
    payload = result.payload
    const typ = result.protectedHeader.typ?.toLowerCase()
    // An access token or other typed JWT must never pass as a logout token.
    if (typ !== undefined && typ !== 'logout+jwt' && typ !== 'jwt') {
      throw new LogoutTokenError(`logout token has the wrong "typ" header (${printable(typ)})`)
    }
  } catch (e) {
    if (e instanceof LogoutTokenError) throw e
    if (e instanceof joseErrors.JOSEError && !isKeyFetchFailure(e)) {
      const cause = Object.assign(new Error(printable(e.message)), { name: e.name, code: e.code })
      throw new LogoutTokenError(`logout token rejected: ${cause.message}`, { cause })
    }
    throw new LogoutTokenError('the IdP signing keys could not be fetched', {
      status: 503,
      cause: e,
    })
  }

  const events = payload.events
  if (
    typeof events !== 'object' ||
    events === null ||
    Array.isArray(events) ||
    typeof (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT] !== 'object'
  ) {
    throw new LogoutTokenError(`logout token "events" lacks ${BACKCHANNEL_LOGOUT_EVENT}`)
  }
  if ('nonce' in payload) {
    throw new LogoutTokenError('logout token must not contain a "nonce" (is it an ID token?)')
  }
  if (typeof payload.jti !== 'string' || payload.jti === '') {
    throw new LogoutTokenError('logout token "jti" must be a non-empty string')
  }
  const sid = typeof payload.sid === 'string' && payload.sid !== '' ? payload.sid : undefined
  const sub = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined
  if (!sid && !sub) {
    throw new LogoutTokenError('logout token must contain "sid" or "sub"')
  }
  return { jti: payload.jti, ...(sid ? { sid } : {}), ...(sub ? { sub } : {}) }
}

/**
 * `message` without control characters, at most 200 characters: jose quotes parts of the token
 * header (`crit` names) before any signature check, and the text goes to logs (message and
 * cause) and the response.
 */
function printable(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we drop
  return message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').slice(0, 200)
}

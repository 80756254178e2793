import * as oauth from 'oauth4webapi'
import type { ResolvedConfig } from '../config.ts'
import { audienceParameters, type Oidc, tokenRequestOptions } from '../oidc/client.ts'
import { dpopTokenTypeProblem } from '../oidc/dpop.ts'
import { looksLikeJwt } from '../oidc/jwks.ts'
import { parseRetryAfter } from './backoff.ts'

/** A well-formed successful token endpoint response. */
export interface TokenBody {
  access_token: string
  token_type: string
  refresh_token?: string
  id_token?: string
  expires_in?: number
  scope?: string
}

/** What one refresh grant request came to. */
export type GrantResult =
  | { kind: 'tokens'; body: TokenBody }
  /** The IdP answered `invalid_grant`: this refresh token is not (or no longer) good. */
  | { kind: 'invalid_grant' }
  /** The response's ID token names another user than the session's. */
  | { kind: 'wrong_subject' }
  | {
      kind: 'failed'
      /**
       * The IdP may have processed the request although no usable answer came back (timeout
       * after sending, connection reset, a garbled 200): it may have rotated the refresh token.
       */
      ambiguous: boolean
      retryAfterSeconds?: number
      reason: string
      cause?: unknown
    }

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function jwtPayload(token: string): Record<string, unknown> | null {
  if (!looksLikeJwt(token)) return null
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')
    const payload: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(part), (ch) => ch.charCodeAt(0))),
    )
    return isObject(payload) ? payload : null
  } catch {
    return null
  }
}

/** What a successful response must look like; a string says what is wrong with it. */
interface Expectations {
  /** The previous access token was a JWT (for the configured audience): so must the new one be. */
  jwtAccessToken: boolean
  issuer: string
  clientId: string
  sub: string
}

/**
 * Checks the shape of a 200 body before anything of it is stored: a JSON object with a string
 * `access_token` and `token_type`, optional fields of the right types, a JWT access token when one
 * is expected, and an ID token (if any) from this issuer for this client. Returns the body, a
 * reason string when malformed, or `'wrong_subject'` when the ID token names another user.
 *
 * The ID token's signature is not checked here: it came straight from the token endpoint over
 * TLS, which OpenID Connect Core §3.1.3.7 accepts; the `sub` check is what matters on refresh.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 */
function checkBody(text: string, expect: Expectations): TokenBody | string {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return 'the body is not JSON'
  }
  if (!isObject(body)) return 'the body is not a JSON object'
  const { access_token, token_type, refresh_token, id_token, expires_in, scope } = body
  if (typeof access_token !== 'string' || access_token === '') return 'no access_token'
  if (typeof token_type !== 'string') return 'no token_type'
  if (refresh_token !== undefined && (typeof refresh_token !== 'string' || refresh_token === '')) {
    return 'refresh_token is not a string'
  }
  if (expires_in !== undefined && typeof expires_in !== 'number')
    return 'expires_in is not a number'
  if (scope !== undefined && typeof scope !== 'string') return 'scope is not a string'
  if (expect.jwtAccessToken && !looksLikeJwt(access_token)) {
    return 'the access_token is not a JWT, unlike the one issued at login'
  }
  if (id_token !== undefined) {
    if (typeof id_token !== 'string') return 'id_token is not a string'
    const claims = jwtPayload(id_token)
    if (!claims) return 'the id_token is not a JWT'
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
    if (claims.iss !== expect.issuer || !aud.includes(expect.clientId)) {
      return 'the id_token is not from this issuer for this client'
    }
    if (claims.sub !== expect.sub) return 'wrong_subject'
  }
  return body as unknown as TokenBody
}

/** The `error` member of a JSON error body, if any. */
function errorOf(text: string): unknown {
  try {
    return (JSON.parse(text) as { error?: unknown }).error
  } catch {
    return undefined
  }
}

/**
 * Sends one refresh token grant and classifies the answer. Never throws: every outcome is a
 * {@link GrantResult}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export async function refreshGrant(
  config: ResolvedConfig,
  oidc: Oidc,
  refreshToken: string,
  expect: Omit<Expectations, 'issuer' | 'clientId'>,
): Promise<GrantResult> {
  let response: Response
  let text: string
  // A DPoP nonce demanded by the IdP (400 use_dpop_nonce, RFC 9449 §8) is answered once: the
  // handle kept the DPoP-Nonce of the refusal, and the refresh token was not spent.
  for (let attempt = 0; ; attempt++) {
    try {
      response = await oauth.refreshTokenGrantRequest(
        oidc.as,
        oidc.client,
        oidc.clientAuth,
        refreshToken,
        tokenRequestOptions(
          config,
          oidc,
          config.audienceParam === 'resource' ? audienceParameters(config) : {},
        ),
      )
      text = await response.text()
    } catch (cause) {
      // The request may have reached the IdP and been processed before the answer was lost.
      return { kind: 'failed', ambiguous: true, reason: 'no answer from the token endpoint', cause }
    }
    if (attempt > 0 || !oidc.dpop || response.status !== 400 || errorOf(text) !== 'use_dpop_nonce')
      break
  }
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'))
  if (response.status === 200) {
    const body = checkBody(text, {
      ...expect,
      issuer: oidc.as.issuer,
      clientId: config.clientId,
    })
    if (body === 'wrong_subject') return { kind: 'wrong_subject' }
    if (typeof body === 'string') {
      return { kind: 'failed', ambiguous: true, reason: `malformed token response: ${body}` }
    }
    const problem = dpopTokenTypeProblem(oidc.dpop, body.token_type)
    if (problem) return { kind: 'failed', ambiguous: false, reason: problem }
    return { kind: 'tokens', body }
  }
  const error = errorOf(text)
  if ((response.status === 400 || response.status === 401) && error === 'invalid_grant') {
    return { kind: 'invalid_grant' }
  }
  const code = typeof error === 'string' && /^[\w.-]{1,64}$/.test(error) ? ` ${error}` : ''
  return {
    kind: 'failed',
    ambiguous: false,
    reason: `the token endpoint answered ${response.status}${code}`,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  }
}

import { AUTH_ERROR_PARAM } from '@bezzie/contract'
import type { Context } from 'hono'
import * as oauth from 'oauth4webapi'
import type { ResolvedConfig } from '../config.ts'
import { readSessionCookie, setLoginFailedCookie, setSessionCookie } from '../cookies.ts'
import { deviceLabel, requestCountry } from '../devices/device-label.ts'
import { CallbackError, HookError, TokenExchangeError } from '../errors.ts'
import { authorizationErrorCode, scrubDescription } from '../oidc/authorization-errors.ts'
import { audienceParameters, getOidc, type Oidc, tokenRequestOptions } from '../oidc/client.ts'
import { dpopTokenTypeProblem, retryOnDpopNonce } from '../oidc/dpop.ts'
import { isTransient } from '../oidc/http.ts'
import { checkAccessToken, sessionTokens } from '../oidc/tokens.ts'
import { asBezzieError, errorFailure, failure, loginUrl } from '../respond.ts'
import type { Runtime } from '../runtime.ts'
import { type IdTokenClaims, sessionClaims } from '../session/claims.ts'
import { isWellFormedId } from '../session/id.ts'
import type { AccessTokenMark } from '../session/record.ts'
import { type LoginTransaction, takeTransaction } from '../session/transaction.ts'
import type { BezzieUser } from '../types.ts'

/** Longest callback URL bezzie accepts (in characters). */
const MAX_CALLBACK_URL = 8192

async function exchange(
  config: ResolvedConfig,
  oidc: Oidc,
  params: URLSearchParams,
  verifier: string,
  nonce: string,
  maxAge: number | undefined,
) {
  let result: oauth.TokenEndpointResponse
  try {
    // A DPoP nonce demanded by the IdP is answered once: the code is still unused then, since the
    // proof is checked before the code (RFC 9449 §8).
    result = await retryOnDpopNonce(oidc.dpop, async () => {
      const response = await oauth.authorizationCodeGrantRequest(
        oidc.as,
        oidc.client,
        oidc.clientAuth,
        params,
        config.redirectUri,
        verifier,
        tokenRequestOptions(
          config,
          oidc,
          config.audienceParam === 'resource' ? audienceParameters(config) : {},
        ),
      )
      return oauth.processAuthorizationCodeResponse(oidc.as, oidc.client, response, {
        expectedNonce: nonce,
        requireIdToken: true,
        // A login that asked for max_age (step-up) must get a recent enough auth_time (OIDC Core
        // §3.1.2.1): otherwise removing max_age from the URL would skip the re-authentication.
        ...(maxAge === undefined ? {} : { maxAge }),
      })
    })
  } catch (e) {
    if (isTransient(e)) {
      throw new TokenExchangeError('token_exchange_failed', 'the IdP is unavailable', e, 502)
    }
    if (e instanceof oauth.ResponseBodyError) {
      const credential = config.clientKeys.length > 0 ? 'clientPrivateKey' : 'clientSecret'
      throw new TokenExchangeError(
        'token_exchange_failed',
        rejectedCode(e.error, credential),
        e,
        400,
      )
    }
    throw new TokenExchangeError('id_token_invalid', 'the ID token did not validate', e, 400)
  }
  const problem = dpopTokenTypeProblem(oidc.dpop, result.token_type)
  if (problem) throw new TokenExchangeError('token_exchange_failed', problem, undefined, 502)
  return result
}

// RFC 6749 §5.2. The token endpoint's answer comes server to server (not through the browser), so
// its registered error code is safe to name; its free text is not repeated.
const TOKEN_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
])

function rejectedCode(error: string, credential: 'clientSecret' | 'clientPrivateKey'): string {
  if (error === 'invalid_client') {
    return `the IdP rejected the code (invalid_client: check clientId and ${credential})`
  }
  return TOKEN_ERRORS.has(error)
    ? `the IdP rejected the code (${error})`
    : 'the IdP rejected the code'
}

/** The one message an IdP error is answered with: it also answers forged callbacks. */
const IDP_ERROR_MESSAGE = 'the identity provider did not complete the login'

/**
 * The IdP answered with an `error` (user cancelled, `prompt=none` found no session, an `audience`
 * it does not know, …). For the login this browser started, `onError` gets the code and the
 * IdP's scrubbed `error_description`, the browser gets a failed-login marker (the loop breaker)
 * and a redirect to the (now consumed) transaction's `returnTo` with `?auth_error=<registered
 * code>`; the IdP's free text never reaches the browser. Without a matching login (login CSRF, a
 * stray request) it is a 400 reflecting nothing, as it is with `callbackErrorRedirect: false`.
 */
function idpErrorRedirect(
  c: Context,
  { config, report }: Pick<Runtime, 'config' | 'report'>,
  params: URLSearchParams,
  tx: LoginTransaction | null,
): Response | Promise<Response> {
  if (params.has('code')) {
    throw new CallbackError('callback_invalid', 'the response carries both a code and an error')
  }
  const raw = params.get('error')
  const code = authorizationErrorCode(raw)
  // The cookie lookup keys on a prefix of state; the full value must match this login.
  if (!tx || tx.state !== params.get('state')) {
    throw new CallbackError('idp_error', IDP_ERROR_MESSAGE, undefined, code)
  }
  const description = scrubDescription(params.get('error_description'))
  const named = code === 'idp_error' ? `unregistered error "${scrubDescription(raw) ?? ''}"` : code
  report(
    new CallbackError(
      'idp_error',
      `${IDP_ERROR_MESSAGE}: ${named}${description ? ` (${description})` : ''}`,
      undefined,
      code,
      description,
    ),
  )
  if (!config.callbackErrorRedirect) {
    return failure(c, config, 400, 'idp_error', IDP_ERROR_MESSAGE, loginUrl(config, tx.returnTo))
  }
  setLoginFailedCookie(c, config.cookie, code)
  const target = new URL(tx.returnTo, config.baseUrl)
  target.searchParams.set(AUTH_ERROR_PARAM, code)
  return c.redirect(target.href, 302)
}

/**
 * `GET /callback`: validates the authorization response against this browser's transaction
 * (state, RFC 9207 `iss`), exchanges the code (PKCE verifier), validates the ID token (nonce,
 * iss, aud, exp) and the JWT access token, then replaces any previous session with a fresh one.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth
 */
export function callbackHandler(rt: Runtime) {
  return async function callback(c: Context): Promise<Response> {
    const { config, store } = rt
    c.header('Cache-Control', 'no-store')
    let tx: LoginTransaction | null = null
    try {
      const url = new URL(c.req.url)
      if (c.req.url.length > MAX_CALLBACK_URL) {
        throw new CallbackError('callback_invalid', 'callback URL too long')
      }
      const state = url.searchParams.get('state') ?? undefined
      tx = await takeTransaction(c, config, rt.store, state)
      if (url.searchParams.has('error')) return idpErrorRedirect(c, rt, url.searchParams, tx)
      if (!tx)
        throw new CallbackError('login_transaction_missing', 'no login in progress in this browser')
      const oidc = await getOidc(config, rt.store)
      let params: URLSearchParams
      try {
        params = oauth.validateAuthResponse(oidc.as, oidc.client, url, tx.state)
      } catch (e) {
        throw new CallbackError(
          'state_mismatch',
          'the authorization response does not match this login',
          e,
        )
      }
      const result = await exchange(rt.config, oidc, params, tx.codeVerifier, tx.nonce, tx.maxAge)
      const claims = oauth.getValidatedIdTokenClaims(result) as Record<string, unknown> | undefined
      if (!claims || typeof claims.sub !== 'string') {
        throw new TokenExchangeError(
          'id_token_invalid',
          'no ID token in the token response',
          undefined,
          400,
        )
      }
      let mark: AccessTokenMark | undefined
      try {
        mark = await checkAccessToken(config, oidc, result.access_token)
      } catch (e) {
        throw new TokenExchangeError('access_token_invalid', 'the access token did not verify', e)
      }
      let user: BezzieUser
      try {
        user = { ...(await config.hooks.mapClaims(claims)) }
        if (typeof user.sub !== 'string') user.sub = claims.sub
      } catch (e) {
        throw new HookError('mapClaims', e)
      }
      try {
        await config.hooks.onLogin?.({ user, claims, context: c })
      } catch (e) {
        throw new HookError('onLogin', e)
      }
      // Session fixation: whatever session this browser had is dropped; the new id is fresh.
      const previous = readSessionCookie(c, config.cookie)
      if (isWellFormedId(previous)) {
        const key = await store.keyOf(previous)
        await store.delete(key, (await store.read(key))?.record)
      }
      const record = store.newRecord({
        user,
        claims: sessionClaims(claims as IdTokenClaims),
        tokens: sessionTokens(result, config.now),
      })
      if (tx.acrValues !== undefined) record.acrValuesRequested = tx.acrValues
      // Verified just above: a read in another isolate trusts this instead of verifying again.
      if (mark) record.accessTokenVerified = mark
      const country = requestCountry(c.req.raw)
      record.device = {
        label: deviceLabel(c.req.header('user-agent')),
        ...(country === undefined ? {} : { country }),
      }
      const { id } = await store.create(record)
      setSessionCookie(c, config.cookie, id, config.session.absoluteTtlSeconds)
      return c.redirect(new URL(tx.returnTo, config.baseUrl).href, 302)
    } catch (e) {
      rt.report(asBezzieError(e))
      return errorFailure(
        c,
        rt.config,
        e,
        loginUrl(rt.config, tx?.returnTo ?? config.defaultReturnTo),
      )
    }
  }
}

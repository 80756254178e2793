import { AUTHORIZATION_PARAM_NAMES } from '@bezzie/contract'
import type { Context } from 'hono'
import * as oauth from 'oauth4webapi'
import { clearLoginFailedCookie, readLoginFailedCookie } from '../cookies.ts'
import { failedLoginToStopAtLogin, LOGIN_STOPPED_MESSAGE } from '../loop-breaker.ts'
import { audienceParameters, getOidc } from '../oidc/client.ts'
import { pushedAuthorizationUrl, usePushedAuthorization } from '../oidc/par.ts'
import { asBezzieError, errorFailure, failure, loginUrl } from '../respond.ts'
import { safeReturnTo } from '../return-to.ts'
import type { Runtime } from '../runtime.ts'
import { saveTransaction } from '../session/transaction.ts'

/**
 * `GET /login`: starts Authorization Code + PKCE (S256) with `state` and `nonce`, remembers the
 * transaction for this browser only, and redirects to the IdP.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636
 */
export function loginHandler(rt: Runtime) {
  return async function login(c: Context): Promise<Response> {
    const { config } = rt
    c.header('Cache-Control', 'no-store')
    const returnTo = safeReturnTo(c.req.query('returnTo')) ?? config.defaultReturnTo
    const retry = loginUrl(rt.config, returnTo)
    const forwarded: Record<string, string> = {}
    for (const name of AUTHORIZATION_PARAM_NAMES) {
      const value = c.req.query(name)
      if (value === undefined) continue
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are rejected
      if (value.length > 512 || /[\u0000-\u001f\u007f]/.test(value)) {
        return failure(c, rt.config, 400, 'invalid_request', `invalid ${name} parameter`, retry)
      }
      forwarded[name] = value
    }
    if (forwarded.max_age !== undefined && !/^\d{1,9}$/.test(forwarded.max_age)) {
      return failure(
        c,
        rt.config,
        400,
        'invalid_request',
        'max_age must be a number of seconds',
        retry,
      )
    }
    // The loop breaker: a login that just failed is not restarted without a person asking.
    const stopped = failedLoginToStopAtLogin(c, rt.config.cookie)
    if (stopped !== null) return failure(c, rt.config, 401, stopped, LOGIN_STOPPED_MESSAGE, retry)
    if (readLoginFailedCookie(c, config.cookie) !== undefined) {
      clearLoginFailedCookie(c, config.cookie)
    }
    try {
      const oidc = await getOidc(config, rt.store)
      const { as } = oidc
      if (!as.authorization_endpoint) {
        return failure(
          c,
          config,
          502,
          'discovery_failed',
          'the IdP has no authorization_endpoint',
          retry,
        )
      }
      const codeVerifier = oauth.generateRandomCodeVerifier()
      const state = oauth.generateRandomState()
      const nonce = oauth.generateRandomNonce()
      let url = new URL(as.authorization_endpoint)
      const params = {
        // The app's fixed parameters win: a login URL must not lower its acr_values or max_age.
        ...forwarded,
        ...config.authorizationParams,
        ...audienceParameters(config),
        client_id: config.clientId,
        redirect_uri: config.redirectUri,
        response_type: 'code',
        scope: config.scopes.join(' '),
        code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      }
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
      if (config.audienceParam === 'resource') {
        // RFC 8707 §2: one `resource` per further API, so the grant covers each of them.
        for (const resource of config.resources) url.searchParams.append('resource', resource)
      }
      if (usePushedAuthorization(config, as)) {
        url = await pushedAuthorizationUrl(config, oidc, url.searchParams)
      }
      const maxAge = 'max_age' in params ? Number(params.max_age) : undefined
      const acrValues = (params as Record<string, string>).acr_values
      await saveTransaction(c, config, rt.store, {
        state,
        nonce,
        codeVerifier,
        returnTo,
        ...(maxAge === undefined ? {} : { maxAge }),
        ...(acrValues === undefined ? {} : { acrValues }),
        createdAt: Math.floor(Date.now() / 1000),
      })
      return c.redirect(url.href, 302)
    } catch (e) {
      rt.report(asBezzieError(e))
      return errorFailure(c, rt.config, e, retry)
    }
  }
}

/**
 * Typed errors, in jose's style: a few classes, each owning a set of stable codes (one code, one
 * class: {@link BezzieErrorClasses}); messages may change between versions, codes do not.
 *
 * Every error bezzie throws or reports through `onError` is a {@link BezzieError}; every invalid
 * option (of `createBezzie`, a provider preset, an adapter factory or `auth.proxy`) is a
 * {@link ConfigError} naming the option. The one exception follows jose's convention: calling
 * a function with arguments of the wrong shape (`sessions.create`, `sessions.revoke`,
 * `c.var.getAccessToken`) throws a
 * `TypeError`, a programming error rather than a condition to handle.
 *
 * @packageDocumentation
 */

import type { BezzieErrorCode } from '@bezzie/contract'
import { BezzieError } from './errors/base.ts'

export type { BezzieErrorCode }
// The base class and the redaction of causes live in errors/base.ts.
export { BezzieError }

/** Invalid configuration passed to `createBezzie`. The message names the offending option. */
export class ConfigError extends BezzieError {
  declare readonly code: 'config_invalid'
  /** The configuration option that is wrong, e.g. `"baseUrl"`. */
  readonly option: string

  constructor(option: string, message: string) {
    super('config_invalid', `bezzie: invalid option "${option}": ${message}`)
    this.option = option
  }
}

/**
 * The OpenID Provider's discovery document or JWKS could not be fetched or is invalid.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export class DiscoveryError extends BezzieError {
  declare readonly code: 'discovery_failed'

  constructor(message: string, cause?: unknown) {
    super('discovery_failed', message, { cause, status: 502 })
  }
}

/**
 * The authorization response at the callback was rejected (missing transaction, state mismatch,
 * an IdP `error`, malformed parameters). Answered with 400.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export class CallbackError extends BezzieError {
  declare readonly code:
    | 'login_transaction_missing'
    | 'state_mismatch'
    | 'idp_error'
    | 'callback_invalid'
  /**
   * For `idp_error`: the IdP's `error` when it is a registered OAuth 2.0 / OpenID Connect error
   * code (e.g. `access_denied`, `login_required`), else `"idp_error"`. Never the IdP's free text.
   */
  readonly idpError: string | undefined
  /**
   * For `idp_error` on this browser's own login: the IdP's `error_description`, scrubbed (plain
   * text, at most 200 characters). For logs only; never sent to the browser.
   */
  readonly idpErrorDescription: string | undefined

  constructor(
    code: CallbackError['code'],
    message: string,
    cause?: unknown,
    idpError?: string,
    idpErrorDescription?: string,
  ) {
    super(code, message, { cause, status: 400 })
    this.idpError = idpError
    this.idpErrorDescription = idpErrorDescription
  }
}

/**
 * Exchanging the authorization code failed, or the tokens it returned did not validate
 * (ID token nonce/iss/aud, access token signature/iss/aud/exp); also a refreshed access token
 * that did not verify (`access_token_invalid`, reported only).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export class TokenExchangeError extends BezzieError {
  declare readonly code: 'token_exchange_failed' | 'id_token_invalid' | 'access_token_invalid'

  constructor(code: TokenExchangeError['code'], message: string, cause?: unknown, status = 502) {
    super(code, message, { cause, status })
  }
}

/**
 * Refreshing an access token failed. `refresh_token_invalid` (the IdP answered `invalid_grant`)
 * ends the session; `refresh_failed` is transient and keeps it. A refreshed access token that
 * does not verify is a {@link TokenExchangeError} (`access_token_invalid`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export class RefreshError extends BezzieError {
  declare readonly code: 'refresh_failed' | 'refresh_token_invalid'

  constructor(code: RefreshError['code'], message: string, cause?: unknown) {
    super(code, message, { cause, status: code === 'refresh_token_invalid' ? 401 : 503 })
  }
}

/**
 * Revoking a refresh token at the IdP failed (at logout or `sessions.revoke`). Reported only:
 * the session is deleted anyway.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009
 */
export class RevocationError extends BezzieError {
  declare readonly code: 'revocation_failed'

  constructor(message: string, cause?: unknown) {
    super('revocation_failed', message, { cause, status: 502 })
  }
}

/**
 * A hook of the configuration threw. `mapClaims` or `onLogin` aborts the login (500 `login_hook_failed`, no
 * session); `onRefresh` and `onLogout` failures are reported only.
 */
export class HookError extends BezzieError {
  declare readonly code: 'login_hook_failed' | 'refresh_hook_failed' | 'logout_hook_failed'
  /** The hook that threw (`mapClaims` counts as a login hook). */
  readonly hook: 'mapClaims' | 'onLogin' | 'onRefresh' | 'onLogout'

  constructor(hook: HookError['hook'], cause: unknown) {
    const code = HOOK_CODES[hook]
    super(code, `${hook} hook threw`, { cause, status: 500 })
    this.hook = hook
  }
}

const HOOK_CODES = {
  mapClaims: 'login_hook_failed',
  onLogin: 'login_hook_failed',
  onRefresh: 'refresh_hook_failed',
  onLogout: 'logout_hook_failed',
} as const

/**
 * A back-channel logout token was rejected. `status` is 400 for a bad token (the IdP must not
 * retry it), 503 when the IdP's keys or discovery could not be fetched (a retry may succeed).
 *
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#Validation
 */
export class LogoutTokenError extends BezzieError {
  declare readonly code: 'backchannel_logout_invalid'

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super('backchannel_logout_invalid', message, { status: 400, ...options })
  }
}

/** The session store failed, or lacks a capability an operation needs. */
export class StoreError extends BezzieError {
  declare readonly code: 'store_failed' | 'session_index_unsupported'

  constructor(code: StoreError['code'], message: string, cause?: unknown) {
    super(code, message, { cause, status: code === 'store_failed' ? 503 : 500 })
  }
}

/**
 * A back-channel request to the IdP's token or PAR endpoint failed: the client's own token
 * (client credentials, `client_credentials_failed`), the user's token for another API
 * (`resource_token_failed`), or pushing a login's parameters (`pushed_authorization_failed`).
 * `status` is 503 when the IdP was unreachable or failing, 401 when the user's grant is gone
 * (`invalid_grant`), else 502 (the IdP refused: a client or resource misconfiguration, named in
 * the message by its OAuth error code).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://www.rfc-editor.org/rfc/rfc8707
 */
export class TokenRequestError extends BezzieError {
  declare readonly code:
    | 'client_credentials_failed'
    | 'resource_token_failed'
    | 'pushed_authorization_failed'

  constructor(
    code: TokenRequestError['code'],
    message: string,
    cause: unknown,
    status: 401 | 502 | 503,
  ) {
    super(code, message, { cause, status })
  }
}

/**
 * Which class owns each {@link BezzieErrorCode}: one code, one class (`internal_error` belongs
 * to the base class, for failures bezzie did not foresee). Narrow a caught error by class with
 * `instanceof`, or by code through this map.
 */
export interface BezzieErrorClasses {
  internal_error: BezzieError
  config_invalid: ConfigError
  discovery_failed: DiscoveryError
  login_transaction_missing: CallbackError
  state_mismatch: CallbackError
  idp_error: CallbackError
  callback_invalid: CallbackError
  token_exchange_failed: TokenExchangeError
  id_token_invalid: TokenExchangeError
  access_token_invalid: TokenExchangeError
  login_hook_failed: HookError
  refresh_hook_failed: HookError
  logout_hook_failed: HookError
  refresh_failed: RefreshError
  refresh_token_invalid: RefreshError
  revocation_failed: RevocationError
  store_failed: StoreError
  session_index_unsupported: StoreError
  backchannel_logout_invalid: LogoutTokenError
  client_credentials_failed: TokenRequestError
  resource_token_failed: TokenRequestError
  pushed_authorization_failed: TokenRequestError
}

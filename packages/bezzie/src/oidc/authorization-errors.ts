import { AUTHORIZATION_ERROR_CODES, type AuthorizationErrorCode } from '@bezzie/contract'

// The registered codes are part of the wire contract (the SPA reads them from `auth_error`).
const AUTHORIZATION_ERRORS: ReadonlySet<string> = new Set(AUTHORIZATION_ERROR_CODES)

/** The IdP's `error` when it is a registered authorization error code, else `"idp_error"`. */
export function authorizationErrorCode(error: string | null): AuthorizationErrorCode | 'idp_error' {
  return error !== null && AUTHORIZATION_ERRORS.has(error)
    ? (error as AuthorizationErrorCode)
    : 'idp_error'
}

/** Longest IdP `error_description` passed to `onError` (in characters). */
const MAX_DESCRIPTION = 200

/**
 * The IdP's `error_description`, made safe to log: only letters, digits, spaces and plain
 * punctuation survive (no markup, quotes, `=` or line breaks to forge log lines with), cut to
 * 200 characters. Only ever logged, never sent to the browser.
 */
export function scrubDescription(value: string | null): string | undefined {
  if (value === null) return undefined
  const clean = value
    .slice(0, MAX_DESCRIPTION * 2)
    .replace(/[^\w .,:;!?()/-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_DESCRIPTION)
  return clean === '' ? undefined : clean
}

/** What a `?auth_error=` or failed-login marker may hold; anything else reads as `idp_error`. */
export const knownAuthErrorCode = (value: string | undefined | null): string | null =>
  value === undefined || value === null ? null : authorizationErrorCode(value)

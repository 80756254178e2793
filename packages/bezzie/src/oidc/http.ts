import * as oauth from 'oauth4webapi'

/** Timeout (in milliseconds) of every request bezzie makes to the IdP. */
export const IDP_TIMEOUT_MS = 5000

/**
 * Per-request options for oauth4webapi: a fresh 5 s timeout signal, and plain-HTTP permission
 * only for loopback issuers (decided once by config validation).
 */
export function idpRequestOptions(insecure: boolean): {
  signal: AbortSignal
  [oauth.allowInsecureRequests]?: boolean
} {
  const signal = AbortSignal.timeout(IDP_TIMEOUT_MS)
  return insecure ? { signal, [oauth.allowInsecureRequests]: true } : { signal }
}

/**
 * True when `error` means the IdP was unreachable, slow or failing (network error, timeout,
 * 5xx): the session must be kept and the request may be retried.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof oauth.ResponseBodyError) return error.status >= 500
  if (error instanceof oauth.OperationProcessingError) {
    const cause = (error as { cause?: unknown }).cause
    if (cause instanceof Response) return cause.status >= 500
    return error.code === oauth.RESPONSE_IS_NOT_JSON || error.code === oauth.RESPONSE_IS_NOT_CONFORM
  }
  if (error instanceof DOMException) return true
  if (error instanceof TypeError) return true
  return false
}

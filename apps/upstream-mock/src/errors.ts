import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Stable error codes this API returns in its JSON error bodies. */
export type ApiErrorCode =
  | 'unauthorized'
  | 'invalid_token'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'invalid_request'
  | 'not_found'
  | 'payload_too_large'
  | 'issuer_unavailable'
  | 'server_misconfigured'
  | 'server_error'

/**
 * An error that maps onto one HTTP response: `{ error: code, message }` with `status`.
 * Anything else thrown inside a handler becomes a generic 500 without details.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly status: ContentfulStatusCode
  /** Response headers of this error (a `WWW-Authenticate` challenge, a `DPoP-Nonce`). */
  readonly headers: Readonly<Record<string, string>>

  constructor(
    status: ContentfulStatusCode,
    code: ApiErrorCode,
    message: string,
    options?: ErrorOptions & { headers?: Record<string, string> },
  ) {
    super(message, options)
    this.name = this.constructor.name
    this.code = code
    this.status = status
    this.headers = options?.headers ?? {}
  }
}

/** Renders an error as JSON; never includes a stack trace or the `cause`. */
export function errorResponse(c: Context, error: unknown): Response {
  c.header('Cache-Control', 'no-store')
  if (error instanceof ApiError) {
    if (error.code === 'unauthorized') c.header('WWW-Authenticate', 'Bearer')
    if (error.code === 'invalid_token') c.header('WWW-Authenticate', 'Bearer error="invalid_token"')
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value)
    return c.json({ error: error.code, message: error.message }, error.status)
  }
  return c.json({ error: 'server_error', message: 'Unexpected error in the upstream API' }, 500)
}

import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { BezzieError } from './errors.ts'

/** A JSON error body: `{ error: <stable code>, message? }`. Never carries tokens or IdP text. */
export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  message?: string,
  headers?: Record<string, string>,
): Response {
  c.header('Cache-Control', 'no-store')
  for (const [k, v] of Object.entries(headers ?? {})) c.header(k, v)
  return c.json(message === undefined ? { error } : { error, message }, status)
}

/** Answers with a {@link BezzieError}'s code and status; other errors become a plain 500. */
export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof BezzieError) {
    return jsonError(c, error.status as ContentfulStatusCode, error.code, error.message)
  }
  return jsonError(c, 500, 'internal_error', 'Unexpected error')
}

/** Wraps anything thrown into a BezzieError for `onError`. */
export function asBezzieError(error: unknown): BezzieError {
  if (error instanceof BezzieError) return error
  return new BezzieError('internal_error', 'unexpected error', { cause: error })
}

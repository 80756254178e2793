import type { ErrorBody, ErrorCode } from '@bezzie/contract'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ResolvedConfig } from './config.ts'
import { errorPage, isNavigation } from './error-page.ts'
import { BezzieError } from './errors.ts'

/** A JSON error body: `{ error: <stable code>, message? }`. Never carries tokens or IdP text. */
export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  error: ErrorCode,
  message?: string,
  headers?: Record<string, string>,
): Response {
  c.header('Cache-Control', 'no-store')
  for (const [k, v] of Object.entries(headers ?? {})) c.header(k, v)
  const body: ErrorBody = message === undefined ? { error } : { error, message }
  return c.json(body, status)
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

/** What a link to the login route needs: the routes and `baseUrl`. */
export type LoginRouteConfig = Pick<ResolvedConfig, 'routes' | 'baseUrl'>

/**
 * The URL of this instance's login route with `returnTo` (a same-origin path), then `params` (the
 * step-up's `acr_values` / `max_age`).
 */
export function loginUrl(
  config: LoginRouteConfig,
  returnTo: string,
  params: Record<string, string> = {},
): string {
  const { basePath, login } = config.routes
  const target = new URL(`${basePath === '/' ? '' : basePath}${login}`, config.baseUrl)
  target.searchParams.set('returnTo', returnTo)
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value)
  return target.pathname + target.search
}

/**
 * A failure answered for its audience: a top-level browser navigation gets the HTML error page
 * (a person reads it), anything else `{ error, message }` JSON (a program reads it). Either way
 * `Cache-Control: no-store`, a stable code and bezzie's own wording only.
 */
export function failure(
  c: Context,
  config: Pick<ResolvedConfig, 'errorPage'>,
  status: ContentfulStatusCode,
  code: ErrorCode,
  message: string,
  retryUrl: string,
  headers: Record<string, string> = {},
): Response | Promise<Response> {
  if (!isNavigation(c)) return jsonError(c, status, code, message, headers)
  return errorPage(c, config.errorPage, { status, code, message, retryUrl }, headers)
}

/** `Retry-After` (in seconds) of a 503 for an error that names no wait of its own. */
const OUTAGE_RETRY_AFTER_SECONDS = 5

/** {@link errorResponse} for its audience (see {@link failure}). */
export function errorFailure(
  c: Context,
  config: Pick<ResolvedConfig, 'errorPage'>,
  error: unknown,
  retryUrl: string,
): Response | Promise<Response> {
  if (error instanceof BezzieError) {
    const status = error.status as ContentfulStatusCode
    // A 503 is an outage of something bezzie depends on (the store, the IdP): say when to retry.
    const headers: Record<string, string> =
      status === 503 ? { 'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS) } : {}
    return failure(c, config, status, error.code, error.message, retryUrl, headers)
  }
  return failure(c, config, 500, 'internal_error', 'Unexpected error', retryUrl)
}

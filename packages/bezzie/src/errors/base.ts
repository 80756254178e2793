import type { BezzieErrorCode } from '@bezzie/contract'

export interface BezzieErrorOptions {
  cause?: unknown
  /** HTTP status bezzie answers with when this error ends a request. */
  status?: number
}

const SAFE_CAUSE_FIELDS = ['code', 'status', 'error'] as const

/**
 * A copy of `cause` that can be logged: for an `Error`, its name, message, stack, `code`,
 * `status` and OAuth `error` code, and its own cause likewise (3 levels). Anything else is
 * dropped, because protocol libraries attach the raw material they rejected — oauth4webapi puts
 * the authorization response parameters (the `code`) or token response bodies in `cause`.
 */
function redactCause(cause: unknown, depth = 0): Error | undefined {
  if (!(cause instanceof Error) || depth > 2) return undefined
  const nested = redactCause((cause as { cause?: unknown }).cause, depth + 1)
  const copy = new Error(cause.message, nested ? { cause: nested } : undefined) as Error &
    Record<string, unknown>
  copy.name = cause.name
  if (cause.stack !== undefined) copy.stack = cause.stack
  for (const field of SAFE_CAUSE_FIELDS) {
    const value = (cause as unknown as Record<string, unknown>)[field]
    if (typeof value === 'string' || typeof value === 'number') copy[field] = value
  }
  return copy
}

/**
 * Base class of every bezzie error. `cause` holds a redacted copy of the underlying error (name,
 * message, stack, `code`, `status`, OAuth `error`; never the parameters, bodies or responses a
 * protocol library attaches), so logging a whole `BezzieError` never prints a token or a code.
 */
export class BezzieError extends Error {
  /** Stable machine-readable code. */
  readonly code: BezzieErrorCode
  /** HTTP status bezzie answers with when this error ends a request (default 500). */
  readonly status: number

  constructor(code: BezzieErrorCode, message: string, options: BezzieErrorOptions = {}) {
    const cause = redactCause(options.cause)
    super(message, cause === undefined ? undefined : { cause })
    this.name = this.constructor.name
    this.code = code
    this.status = options.status ?? 500
  }
}

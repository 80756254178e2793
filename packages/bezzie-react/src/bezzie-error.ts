/**
 * Stable codes of {@link BezzieRequestError}, lowercase snake_case like every bezzie code:
 * `me_request_failed` (a 5xx or an unexpected status), `me_response_invalid` (a body that is
 * not the `/me` contract), or `sessions_request_failed` (`GET`/`POST {basePath}/sessions…`,
 * "your devices", failed or answered outside its contract).
 */
export type BezzieRequestErrorCode =
  | 'me_request_failed'
  | 'me_response_invalid'
  | 'sessions_request_failed'

/**
 * The BFF answered `/me` (or `/sessions`) with something other than its contract or a 401: a
 * 5xx, an unexpected status, or a malformed body. It is an error, never "logged out".
 */
export class BezzieRequestError extends Error {
  readonly code: BezzieRequestErrorCode

  /** @deprecated The code is now `'me_request_failed'`; compare with that. */
  static readonly ME_REQUEST_FAILED = 'me_request_failed' as const
  /** @deprecated The code is now `'me_response_invalid'`; compare with that. */
  static readonly ME_RESPONSE_INVALID = 'me_response_invalid' as const
  /** HTTP status of the failed response. */
  readonly status: number

  constructor(
    message: string,
    { code, status, cause }: { code: BezzieRequestErrorCode; status: number; cause?: unknown },
  ) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = this.constructor.name
    this.code = code
    this.status = status
  }
}

/** Stable codes of {@link BezzieRequestError}. */
export type BezzieRequestErrorCode = 'ME_REQUEST_FAILED' | 'ME_RESPONSE_INVALID'

/**
 * The BFF answered `/me` with something other than a session or a 401: a 5xx, an unexpected
 * status, or a body that is not the `/me` contract. It is an error, never "logged out".
 */
export class BezzieRequestError extends Error {
  readonly code: BezzieRequestErrorCode
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

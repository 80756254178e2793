/**
 * The wire contract between the BFF (`bezzie`) and the SPA (`bezzie-react`): the `/me` shape,
 * the user type, the CSRF header, the default base path, the forwarded authorization parameters
 * and the error codes. Both packages bundle it (it is never published on its own), so the React
 * package has no runtime dependency on the server package and the two cannot drift apart.
 * @packageDocumentation
 */

export type { AuthorizationParamName, AuthorizationParams } from './authorization-params.ts'
export { AUTHORIZATION_PARAM_NAMES } from './authorization-params.ts'
export type {
  AuthorizationErrorCode,
  BezzieErrorCode,
  ErrorBody,
  ErrorCode,
} from './error-codes.ts'
export { AUTHORIZATION_ERROR_CODES, BEZZIE_ERROR_CODES, HTTP_ERROR_CODES } from './error-codes.ts'
export type { MeResponse, MeSession } from './me.ts'
export { AUTH_ERROR_PARAM, CSRF_HEADER, CSRF_HEADER_VALUE, DEFAULT_BASE_PATH } from './routes.ts'
export type { BezzieUser } from './user.ts'

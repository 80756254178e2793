export type { ErrorBody, ErrorCode, MeResponse } from '@bezzie/contract'
export { DEFAULT_BASE_PATH } from '@bezzie/contract'
export type { AuthError } from './auth-error.ts'
export {
  AUTH_ERROR_PARAM,
  authErrorFromCode,
  LOGIN_NOT_COMPLETED,
  readAuthError,
  withoutAuthError,
} from './auth-error.ts'
export type { AuthorizationParams } from './authorization-params.ts'
export type { BezzieRequestErrorCode } from './bezzie-error.ts'
export { BezzieRequestError } from './bezzie-error.ts'
export type { BezzieFetchOptions } from './bezzie-fetch.ts'
export { bezzieFetch, CSRF_HEADER } from './bezzie-fetch.ts'
export type { BezzieProviderProps } from './bezzie-provider.tsx'
export { BezzieProvider } from './bezzie-provider.tsx'
export type { AuthSyncMessage } from './lib/auth-sync.ts'
export { AUTH_CHANNEL_NAME } from './lib/auth-sync.ts'
export type { LoginOptions } from './login.ts'
export { login, loginUrl } from './login.ts'
export type { LoginUnlessFailedOptions } from './login-unless-failed.ts'
export { loginUnlessFailed } from './login-unless-failed.ts'
export type { LogoutOptions } from './logout.ts'
export { logout } from './logout.ts'
export type { ProtectedProps } from './protected.tsx'
export { Protected } from './protected.tsx'
export type {
  BezzieDevice,
  BezzieMe,
  BezzieSession,
  BezzieUser,
  FetchLike,
  Navigate,
} from './types.ts'
export type { UseAuthErrorResult } from './use-auth-error.ts'
export { useAuthError } from './use-auth-error.ts'
export type { UseBezzieFetchOptions } from './use-bezzie-fetch.ts'
export { useBezzieFetch } from './use-bezzie-fetch.ts'
export { useLogin } from './use-login.ts'
export { useLogout } from './use-logout.ts'
export type { UseSessionsResult } from './use-sessions.ts'
export { sessionsQueryKey, useSessions } from './use-sessions.ts'
export type {
  UseUserAuthenticated,
  UseUserResult,
  UseUserUnauthenticated,
} from './use-user.ts'
export { useUser } from './use-user.ts'
export type {
  UserQueryKey,
  UserQueryOptions,
  UserQueryOptionsInput,
} from './user-query-options.ts'
export { userQueryKey, userQueryOptions } from './user-query-options.ts'

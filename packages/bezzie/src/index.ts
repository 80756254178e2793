/**
 * bezzie: BFF (Backend-for-Frontend) OAuth 2.0 / OpenID Connect for Hono on Cloudflare Workers.
 *
 * @packageDocumentation
 */

export type {
  AuthorizationParamName,
  AuthorizationParams,
  ErrorBody,
  ErrorCode,
  MeResponse,
  MeSession,
} from '@bezzie/contract'
export {
  AUTH_ERROR_PARAM,
  AUTHORIZATION_PARAM_NAMES,
  CSRF_HEADER,
  CSRF_HEADER_VALUE,
  DEFAULT_BASE_PATH,
} from '@bezzie/contract'
export type { LockHandle, SessionAdapter, SessionIndex, SetOptions } from './adapter.ts'
export type { CloudflareKVAdapterOptions, KVNamespaceLike } from './adapters/kv.ts'
export { cloudflareKVAdapter } from './adapters/kv.ts'
export type { KVCoordinatorNamespace } from './adapters/kv-coordinated.ts'
export { MemoryAdapter, memoryAdapter } from './adapters/memory.ts'
export type { RedisClient } from './adapters/redis.ts'
export { redisAdapter } from './adapters/redis.ts'
export type {
  BezzieConfig,
  CookieConfig,
  CsrfConfig,
  HooksConfig,
  LogoutConfig,
  ProviderOverrides,
  RoutesConfig,
  SessionConfig,
  TokensConfig,
} from './config.ts'
export { type Bezzie, createBezzie } from './create-bezzie.ts'
export type { SessionInfo } from './devices/sessions-list.ts'
export {
  defaultErrorPage,
  type ErrorPageInfo,
  type ErrorPageRenderer,
  escapeHtml,
} from './error-page.ts'
export type { BezzieErrorClasses, BezzieErrorCode } from './errors.ts'
export {
  BezzieError,
  CallbackError,
  ConfigError,
  DiscoveryError,
  HookError,
  LogoutTokenError,
  RefreshError,
  RevocationError,
  StoreError,
  TokenExchangeError,
  TokenRequestError,
} from './errors.ts'
export type { ClaimRequirement, RequireOptions } from './guards/require.ts'
export type { ClientPrivateKey, DpopOptions } from './oidc/client-auth.ts'
export type {
  CognitoOptions,
  LogoutUrlBuilder,
  LogoutUrlParams,
  ProviderPreset,
} from './providers.ts'
export { providers } from './providers.ts'
export type { ProxyOptions } from './proxy.ts'
export { safeReturnTo } from './return-to.ts'
export type { RevokeSessionRequest, SessionsResponse } from './routes/sessions.ts'
export type {
  CreatedSession,
  CreateSessionInput,
  ListSessionsInput,
  RevokeSessionsInput,
  SessionsApi,
} from './sessions.ts'
export type { ClientTokenRequest } from './tokens/client-credentials.ts'
export type { ProxyTokenType } from './tokens/proxy-token.ts'
export type {
  BezzieEnv,
  BezzieOptionalEnv,
  BezzieUser,
  GetAccessToken,
  GetAccessTokenOptions,
  LoginEvent,
  LogoutEvent,
  RefreshEvent,
  SessionTokens,
} from './types.ts'

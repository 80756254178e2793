// Type-level checks (compiled by `pnpm typecheck`): every error code has exactly one class, and
// each class's `code` is exactly the codes the map gives it (jose's one code, one class).
import type {
  BezzieError,
  BezzieErrorClasses,
  BezzieErrorCode,
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
} from '../../src/index.ts'

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const assert = <_Holds extends true>() => {}

/** The codes the map assigns to class `C` (exactly `C`, not a subclass or a base). */
type CodesOf<C> = {
  [K in BezzieErrorCode]: Equal<BezzieErrorClasses[K], C> extends true ? K : never
}[BezzieErrorCode]

assert<Equal<keyof BezzieErrorClasses, BezzieErrorCode>>()
assert<Equal<CodesOf<ConfigError>, ConfigError['code']>>()
assert<Equal<CodesOf<DiscoveryError>, DiscoveryError['code']>>()
assert<Equal<CodesOf<CallbackError>, CallbackError['code']>>()
assert<Equal<CodesOf<TokenExchangeError>, TokenExchangeError['code']>>()
assert<Equal<CodesOf<HookError>, HookError['code']>>()
assert<Equal<CodesOf<RefreshError>, RefreshError['code']>>()
assert<Equal<CodesOf<RevocationError>, RevocationError['code']>>()
assert<Equal<CodesOf<StoreError>, StoreError['code']>>()
assert<Equal<CodesOf<LogoutTokenError>, LogoutTokenError['code']>>()
assert<Equal<CodesOf<TokenRequestError>, TokenRequestError['code']>>()
assert<Equal<CodesOf<BezzieError>, 'internal_error'>>()

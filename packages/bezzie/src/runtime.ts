import type { ResolvedConfig } from './config.ts'
import type { BezzieError } from './errors.ts'
import type { SessionStore } from './session/store.ts'

/** What every route and middleware of one `createBezzie` instance shares. */
export interface Runtime {
  config: ResolvedConfig
  store: SessionStore
  report(error: BezzieError): void
}

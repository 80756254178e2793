import type { ResolvedConfig } from './config.ts'
import type { BezzieError } from './errors.ts'
import { SessionStore } from './session/store.ts'

/** What every route and middleware of one `createBezzie` instance shares. */
export interface Runtime {
  config: ResolvedConfig
  store: SessionStore
  report(error: BezzieError): void
}

/** The runtime of one `createBezzie` instance over an already resolved config. */
export function createRuntime(config: ResolvedConfig): Runtime {
  const report = (error: BezzieError) => {
    try {
      config.hooks.onError(error)
    } catch {
      // A throwing onError must not turn a handled failure into a 500.
    }
  }
  return { config, store: new SessionStore(config, report), report }
}

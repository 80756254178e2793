/// <reference types="@cloudflare/vitest-plugin/types" />
import type { BezzieSessionStore } from '../../src/durable-object.ts'

// Bindings of test/wrangler.test.jsonc, as seen by the workerd store suites.
declare global {
  namespace Cloudflare {
    interface Env {
      SESSION_STORE: DurableObjectNamespace<BezzieSessionStore>
    }
  }
}

/// <reference types="@cloudflare/vitest-plugin/types" />
import type { BezzieKVCoordinator, BezzieSessionStore } from '../../src/durable-object.ts'

// Bindings of test/wrangler.test.jsonc, as seen by the workerd store suites.
declare global {
  namespace Cloudflare {
    interface Env {
      SESSION_STORE: DurableObjectNamespace<BezzieSessionStore>
      SESSION_COORDINATOR: DurableObjectNamespace<BezzieKVCoordinator>
      /** An issuer whose signing key the tests hold (back-channel logout tokens). */
      LOGOUT_ISSUER: string
      /** Its private signing key (RS256, kid k1) as a JWK. */
      LOGOUT_SIGNING_JWK: string
      /** The refresh storm's IdP: rotating refresh tokens, 20-second access tokens. */
      STORM_ISSUER: string
      /** The Upstash REST bridge in front of a real redis-server; empty when redis-server is missing. */
      UPSTASH_URL: string
      UPSTASH_TOKEN: string
    }
  }
}

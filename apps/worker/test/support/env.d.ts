// Test-only bindings (vitest.config.ts), on top of the generated Env.
declare namespace Cloudflare {
  interface Env {
    UNREACHABLE_URL: string
  }
}

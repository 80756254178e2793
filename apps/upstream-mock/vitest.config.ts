import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './wrangler.jsonc' },
      // The Worker trusts the IdP the globalSetup started, never a dev server on :4010.
      miniflare: { bindings: { ISSUER: inject('issuer') } },
    })),
  ],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    // Generous budgets: these suites start workerd, an IdP or a browser, and share the CPU with
    // other suites (turbo runs them side by side; CI machines are small). Waits are on conditions.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})

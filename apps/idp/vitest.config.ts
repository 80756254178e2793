import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous budgets: the tests start OpenID Providers (and the CLI as a child process) next to
    // other suites on a shared CPU. Waits are on conditions, never on a fixed sleep.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})

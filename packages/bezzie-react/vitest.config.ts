import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // The real bezzie BFF from source (see tsconfig paths): tests never run against a stale build.
    alias: { bezzie: fileURLToPath(new URL('../bezzie/src/index.ts', import.meta.url)) },
  },
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/support/setup.ts'],
    // The real bezzie routes run in-process and the build test runs tsdown: generous budgets for a
    // CPU shared with other suites.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    typecheck: { include: ['test/*.test-d.{ts,tsx}'], tsconfig: './tsconfig.json' },
  },
})

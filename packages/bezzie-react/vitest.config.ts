import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/support/setup.ts'],
    typecheck: { include: ['test/**/*.test-d.{ts,tsx}'], tsconfig: './tsconfig.json' },
  },
})

import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    setupFiles: ['./test/setup.ts'],
    restoreMocks: true,
    // Generous budgets: these suites start workerd, an IdP or a browser, and share the CPU with
    // other suites (turbo runs them side by side; CI machines are small). Waits are on conditions.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})

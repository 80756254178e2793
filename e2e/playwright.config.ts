import { findChromium, noChromiumMessage } from '@bezzie/test-support/chromium'
import { defineConfig } from '@playwright/test'

const browser = findChromium()
if (browser.kind === 'none') {
  // `pnpm test` goes through scripts/run-e2e.ts, which skips (or fails in CI) before this point.
  throw new Error(noChromiumMessage('@bezzie/e2e'))
}

/**
 * One production-like topology (global-setup.ts) shared by every test, one worker: the tests log
 * real users in and out of one IdP, and the machine has two cores.
 */
export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Generous: the browser, three wrangler processes and the IdP share a small CPU.
  timeout: 90_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: browser.executablePath, args: browser.args },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
})

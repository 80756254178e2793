import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { BASE_URL, CLIENT_ID, CLIENT_SECRET } from './test/support/constants.ts'

const SESSION_SECRET = 'worker-test-session-secret-0123456789abcdef'

// wrangler.jsonc declares CLIENT_SECRET and SESSION_SECRET as required secrets. Locally they come
// from .dev.vars; a fresh clone (CI) has none, and wrangler looks in the environment next, so the
// test values are put there — passing tests then print no "Missing required secrets" warning.
// The bindings below override whatever a developer's .dev.vars holds.
process.env.CLIENT_SECRET ??= CLIENT_SECRET
process.env.SESSION_SECRET ??= SESSION_SECRET

// The Worker runs in workerd with its real wrangler.jsonc (KV, the Durable Object store); only the
// variables that point at the test's own IdP and upstream (started by the globalSetup) change.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: {
        bindings: {
          ISSUER: inject('issuer'),
          UPSTREAM_URL: inject('upstreamUrl'),
          UNREACHABLE_URL: inject('unreachableUrl'),
          BASE_URL,
          CLIENT_ID,
          CLIENT_SECRET,
          SESSION_SECRET,
        },
      },
    })),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    // Generous budgets: these suites start workerd, an IdP or a browser, and share the CPU with
    // other suites (turbo runs them side by side; CI machines are small). Waits are on conditions.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})

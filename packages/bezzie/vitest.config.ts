import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// `*.test.ts` runs inside workerd (real KV); `*.node.test.ts` runs on Node. Budgets are generous:
// the suites start workerd and IdPs and share the CPU with other suites; waits are on conditions.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.jsonc' },
            miniflare: {
              bindings: {
                IDP_ISSUER: inject('idpIssuer'),
                IDP_ROTATING_ISSUER: inject('idpRotatingIssuer'),
                IDP_FAULT_ISSUER: inject('idpFaultIssuer'),
                UPSTREAM_ORIGIN: inject('upstreamOrigin'),
              },
            },
          })),
        ],
        test: {
          name: 'workerd',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          // test/stores/** runs in its own workerd project (vitest.stores.config.ts: Durable Object bindings).
          exclude: ['**/*.node.test.ts', 'test/stores/**'],
          globalSetup: ['./test/support/idp.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.node.test.ts', 'test/**/*.node.test.ts'],
          globalSetup: ['./test/support/idp.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      './vitest.stores.config.ts',
    ],
  },
})

import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { workersPlatform } from './workers-platform.ts'

// The folder chooses the runtime: test/workerd/** (and the unit tests next to the sources in
// src/**) run inside workerd with real KV; test/node/** runs on Node (real sockets, redis-server,
// the IdP over HTTP); test/stores/** is its own workerd project with Durable Object bindings
// (vitest.stores.config.ts). The workerd project runs the Workers build's module graph
// (workers-platform.ts: without the Node fast path); test/stores/** keeps the runtime check the
// Node build makes in workerd (src/session/node-crypto.ts), which `wrangler dev` runs. Budgets
// are generous: the suites start workerd and IdPs and share the CPU with other suites; waits are
// on conditions.
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
                IDP_DPOP_ISSUER: inject('idpDpopIssuer'),
                DPOP_UPSTREAM_ORIGIN: inject('dpopUpstreamOrigin'),
              },
            },
          })),
          workersPlatform,
        ],
        test: {
          name: 'workerd',
          include: ['src/**/*.test.ts', 'test/workerd/**/*.test.ts'],
          globalSetup: ['./test/support/idp.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/node/**/*.test.ts'],
          globalSetup: ['./test/support/idp.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'faults',
          environment: 'node',
          include: ['test/faults/**/*.test.ts'],
          globalSetup: ['./test/faults/faults.global.ts'],
          // One scenario at a time: their timings are the measurement.
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
      './vitest.stores.config.ts',
    ],
  },
})

import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineProject } from 'vitest/config'

// The store suites that must run inside workerd (KV, Durable Objects, the refresh storm), with a
// test Worker that exports the Durable Object class. The Redis and memory conformance suites run
// on Node: test/node/stores/.
export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './test/wrangler.test.jsonc' },
      miniflare: {
        bindings: {
          IDP_ISSUER: inject('idpIssuer'),
          IDP_ROTATING_ISSUER: inject('idpRotatingIssuer'),
          STORM_ISSUER: inject('stormIssuer'),
          UPSTASH_URL: inject('upstashUrl'),
          UPSTASH_TOKEN: inject('upstashToken'),
          LOGOUT_ISSUER: inject('logoutIssuer'),
          LOGOUT_SIGNING_JWK: inject('logoutSigningJwk'),
        },
      },
    })),
  ],
  test: {
    name: 'workerd-stores',
    include: ['test/stores/**/*.test.ts'],
    globalSetup: ['./test/stores/stores.global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})

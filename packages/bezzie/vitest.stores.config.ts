import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineProject } from 'vitest/config'

// The store suites that must run inside workerd (KV, Durable Objects), with a test Worker that
// exports the Durable Object class. The Redis and memory suites are `*.node.test.ts` (Node project).
export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './test/wrangler.test.jsonc' },
    }),
  ],
  test: {
    name: 'workerd-stores',
    include: ['test/stores/**/*.test.ts'],
    exclude: ['**/*.node.test.ts'],
    testTimeout: 30_000,
  },
})

import type { Clock } from '../../src/clock.ts'

/**
 * A clock for refresh tests: real time plus an offset the test moves forward, so bezzie sees a
 * token expire at once while the IdP and the token signatures keep real time.
 *
 * `frozen: true` stops it at the moment it is created (plus the offset). A test that counts IdP
 * grants needs that: with a running clock a refreshed 2-second token is due again one real second
 * later, so on a busy machine a request that is merely slow to start would refresh a second time.
 */
export function testClock(options: { frozen?: boolean } = {}): {
  now: Clock
  advance(ms: number): void
} {
  const start = Date.now()
  let offset = 0
  return {
    now: options.frozen ? () => start + offset : () => Date.now() + offset,
    advance(ms) {
      offset += ms
    },
  }
}

import type { Clock } from '../../src/clock.ts'

/**
 * A clock that runs with real time plus an offset the test moves forward: bezzie sees a token
 * expire at once, while the IdP and the token signatures keep real time.
 */
export function testClock(): { now: Clock; advance(ms: number): void } {
  let offset = 0
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms
    },
  }
}

import { describe, expect, it } from 'vitest'
import { Backoff } from './backoff.ts'

describe('backoff', () => {
  it('a burst of concurrent failures in one outage does not escalate the issuer backoff (recovery within seconds of the IdP healing)', () => {
    let now = 0
    const backoff = new Backoff(() => now)
    // 1,000 sessions whose refreshes were all in flight when the IdP went down.
    for (let i = 0; i < 1000; i++) backoff.failed('issuer')
    expect(backoff.remainingMs('issuer')).toBe(1000)
    // The next attempt after the wait fails too: the wait doubles, once.
    now += 1000
    backoff.failed('issuer')
    expect(backoff.remainingMs('issuer')).toBe(2000)
    now += 2000
    backoff.succeeded('issuer')
    expect(backoff.remainingMs('issuer')).toBe(0)
  })

  it('doubles per attempt up to 30 s, and Retry-After is a floor', () => {
    let now = 0
    const backoff = new Backoff(() => now)
    const waits: number[] = []
    for (let i = 0; i < 7; i++) {
      backoff.failed('k')
      waits.push(backoff.remainingMs('k'))
      now += backoff.remainingMs('k')
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000])
    backoff.failed('r', 7)
    expect(backoff.remainingMs('r')).toBe(7000)
    // A Retry-After arriving while waiting lengthens the wait, never shortens it.
    backoff.failed('r', 9)
    expect(backoff.remainingMs('r')).toBe(9000)
    backoff.failed('r')
    expect(backoff.remainingMs('r')).toBe(9000)
  })
})

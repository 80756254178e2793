import { afterEach, describe, expect, inject, it, vi } from 'vitest'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import type { BezzieConfig } from '../../src/config.ts'
import { FAULT_ACCESS_TOKEN_TTL } from './faults.global.ts'
import {
  expectBar,
  type Isolate,
  idp,
  isolate,
  Recorder,
  recover,
  report,
  round,
  SIZES,
  signIn,
  verify,
} from './harness.ts'

// Faults of the IdP at its HTTP boundary (apps/idp's fault controls), against the real IdP with
// refresh-token rotation on and a 60 s reuse interval (Auth0 / Okta style). Sessions come from
// real logins; their access tokens are made due by moving the app's clock. Each scenario: the
// fault, requests through it, the fault cleared, recovery, then every session's refresh token
// used twice more to prove the store still holds one the IdP honours.

afterEach(async () => {
  await idp.clear(inject('faultIssuer'))
  await idp.clear(inject('strictIssuer'))
})

interface IdpScenario {
  scenario: string
  issuer?: string
  /** Options of every app instance. */
  extra?: Partial<BezzieConfig>
  /** Starts the fault; the sessions exist by then. */
  fault(issuer: string): Promise<void>
  /** Also serve the requests from an instance created after the fault began (cold caches). */
  cold?: boolean
  expected?: string
}

async function run({
  scenario,
  issuer = inject('faultIssuer'),
  extra,
  fault,
  cold,
  expected,
}: IdpScenario) {
  const adapter = new MemoryAdapter()
  const warm = await isolate('warm', { issuer, adapter, ...extra })
  const sessions = await signIn(warm, SIZES.sessions)
  const recorder = new Recorder()
  await round([warm], sessions, recorder)
  await idp.resetCounts(issuer)
  await fault(issuer)
  const isolates: Isolate[] = [warm]
  if (cold) isolates.push(await isolate('cold', { issuer, adapter, ...extra }))
  // Through the fault: tokens still valid, then due.
  await round(isolates, sessions, recorder, { concurrency: sessions.length })
  for (const via of isolates) via.advance((FAULT_ACCESS_TOKEN_TTL + 10) * 1000)
  await round(isolates, sessions, recorder, { concurrency: sessions.length })
  await round(isolates, sessions, recorder, { concurrency: sessions.length })
  await idp.clear(issuer)
  const recoveryMs = await recover(isolates, sessions, recorder)
  const unhealthyAfter = await verify(isolates, sessions, recorder, FAULT_ACCESS_TOKEN_TTL)
  return report({
    scenario,
    store: 'memory',
    issuer,
    sessions,
    recorder,
    recoveryMs,
    unhealthyAfter,
    ...(expected && { expected }),
  })
}

describe('the token endpoint fails (rotation on, 60 s reuse interval)', () => {
  it('slow but processed: the IdP rotates, the answer comes after the 5 s client timeout', async () => {
    const result = await run({
      scenario: 'token endpoint slow, processed (answer after the 5 s timeout)',
      fault: (issuer) => idp.fault(issuer, { endpoint: 'token', mode: 'slow', delayMs: 7000 }),
    })
    expectBar(result)
  })

  it('processed, then the connection resets', async () => {
    expectBar(
      await run({
        scenario: 'token endpoint processes, then resets the connection',
        fault: (issuer) => idp.fault(issuer, { endpoint: 'token', mode: 'process-reset' }),
      }),
    )
  })

  it('5xx: 500 and 503', async () => {
    expectBar(
      await run({
        scenario: 'token endpoint 500',
        fault: (issuer) => idp.fault(issuer, { endpoint: 'token', mode: 'http500' }),
      }),
    )
    expectBar(
      await run({
        scenario: 'token endpoint 503 (Retry-After: 1)',
        fault: (issuer) => idp.fault(issuer, { endpoint: 'token', mode: 'http503' }),
      }),
    )
  })

  it('429 with Retry-After: one IdP call per session, then it waits', async () => {
    const result = await run({
      scenario: 'token endpoint 429 (Retry-After: 3)',
      fault: (issuer) =>
        idp.fault(issuer, { endpoint: 'token', mode: 'http429', retryAfterSeconds: 3 }),
    })
    expectBar(result)
  })

  it('garbage: a 200 that is an HTML page', async () => {
    expectBar(
      await run({
        scenario: 'token endpoint answers garbage (HTML 200)',
        fault: (issuer) => idp.fault(issuer, { endpoint: 'token', mode: 'garbage' }),
      }),
    )
  })
})

describe('keys', () => {
  it('JWKS down with a cold cache', async () => {
    expectBar(
      await run({
        scenario: 'JWKS down (503), cold cache, validateAccessToken',
        extra: { validateAccessToken: true },
        cold: true,
        fault: (issuer) => idp.fault(issuer, { endpoint: 'jwks', mode: 'http503' }),
      }),
    )
  })

  it('signing key rotation, soft (old key still published)', async () => {
    expectBar(
      await run({
        scenario: 'signing key rotation, soft, validateAccessToken',
        extra: { validateAccessToken: true },
        cold: true,
        fault: (issuer) => idp.rotateKeys(issuer, 'soft'),
      }),
    )
  })

  it('signing key rotation, hard (old key gone at once)', async () => {
    expectBar(
      await run({
        scenario: 'signing key rotation, hard, validateAccessToken',
        extra: { validateAccessToken: true },
        cold: true,
        fault: (issuer) => idp.rotateKeys(issuer, 'hard'),
      }),
    )
  })
})

describe("the app's clock 2 minutes ahead of the IdP's", () => {
  it('signs in, refreshes and verifies tokens with the default clock tolerance', async () => {
    // Only Date moves (this process: the IdPs run in vitest's main process); timers stay real.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 120_000, shouldAdvanceTime: true })
    try {
      expectBar(
        await run({
          scenario: "app's clock 2 minutes ahead, validateAccessToken",
          extra: { validateAccessToken: true },
          fault: async () => {},
        }),
      )
    } finally {
      vi.useRealTimers()
    }
  })
})

describe.runIf(process.env.BEZZIE_FAULTS_REPORT)('a documented limit: no reuse interval', () => {
  it('slow but processed at an IdP that allows no reuse: the lost answer held the only valid token', async () => {
    const result = await run({
      scenario: 'token endpoint slow, processed, IdP without reuse interval',
      issuer: inject('strictIssuer'),
      fault: (issuer) => idp.fault(issuer, { endpoint: 'token', mode: 'slow', delayMs: 7000 }),
      expected:
        'sessions lost: the new refresh token was only in the unread answer and the IdP revokes the grant on reuse',
    })
    expect(result.http500).toBe(0)
  })
})

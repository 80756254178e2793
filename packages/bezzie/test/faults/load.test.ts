import { performance } from 'node:perf_hooks'
import { describe, inject, it } from 'vitest'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { LOAD_ACCESS_TOKEN_TTL } from './faults.global.ts'
import {
  expectBar,
  idp,
  isolate,
  Recorder,
  recover,
  report,
  SIZES,
  signIn,
  verify,
} from './harness.ts'

// The load run: many sessions on two app instances sharing one store, 4-second access tokens
// from the real IdP with rotation on (a refresh every few seconds per session, in real time), and
// in the middle the token endpoint slow for 5 s (processed, answered after the 5 s client
// timeout). `pnpm test` runs it small; `pnpm bench -- --only=faults` runs it with 500 sessions.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('load', () => {
  it(`${SIZES.loadSessions} sessions, ${SIZES.loadSeconds} s, token endpoint slow for 5 s in the middle`, async () => {
    const issuer = inject('loadIssuer')
    const shared = new MemoryAdapter({ maxEntries: 100_000 })
    const extra = { refreshBufferSeconds: 1 }
    const isolates = [
      await isolate('a', { issuer, adapter: shared, ...extra }),
      await isolate('b', { issuer, adapter: shared, ...extra }),
    ]
    const sessions = await signIn(isolates[0] as (typeof isolates)[0], SIZES.loadSessions, 6)
    const recorder = new Recorder()
    await idp.resetCounts(issuer)
    const started = performance.now()
    const end = started + SIZES.loadSeconds * 1000
    const faultAt = started + (SIZES.loadSeconds * 1000) / 3
    const fault = (async () => {
      await sleep(faultAt - performance.now())
      await idp.fault(issuer, { endpoint: 'token', mode: 'slow', delayMs: 6000 })
      await sleep(5000)
      await idp.clear(issuer)
    })()
    let turn = 0
    await Promise.all(
      Array.from({ length: SIZES.loadConcurrency }, async () => {
        while (performance.now() < end) {
          const i = turn++
          const session = sessions[i % sessions.length] as (typeof sessions)[0]
          await recorder.send(isolates[i % 2] as (typeof isolates)[0], session)
          // Paced, so the run measures bezzie under faults, not a saturated CPU.
          await sleep(25)
        }
      }),
    )
    await fault
    const recoveryMs = await recover(isolates, sessions, recorder)
    const unhealthyAfter = await verify(isolates, sessions, recorder, LOAD_ACCESS_TOKEN_TTL)
    expectBar(
      await report({
        scenario: `load: ${SIZES.loadSessions} sessions, ${SIZES.loadConcurrency} connections, ${SIZES.loadSeconds} s, 4 s tokens, token endpoint slow for 5 s`,
        store: 'memory, shared by 2 instances',
        issuer,
        sessions,
        recorder,
        recoveryMs,
        unhealthyAfter,
      }),
    )
  })
})

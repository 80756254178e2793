import { describe, inject, it } from 'vitest'
import type { SessionAdapter } from '../../src/adapter.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { BASE_URL } from '../support/constants.ts'
import { FAULT_ACCESS_TOKEN_TTL } from './faults.global.ts'
import {
  expectBar,
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

// Races across two app instances (separate module graphs, like two isolates) sharing one store.
// The instance that must lose the race reaches the store over a slow link (300 ms each way): its
// read comes back late and its write lands late, after the other instance's refresh. Sessions
// come from real logins at the real IdP (rotation on).

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const LINK_MS = 300

/** `inner` behind a slow network link: answers arrive `ms` late, writes land `ms` late. */
function slowLink(inner: MemoryAdapter, ms: number): SessionAdapter {
  const late = async <T>(op: () => Promise<T>) => {
    await sleep(ms)
    return op()
  }
  return {
    async get(key) {
      const value = await inner.get(key)
      await sleep(ms)
      return value
    },
    set: (k, v, o) => late(() => inner.set(k, v, o)),
    delete: (k) => late(() => inner.delete(k)),
    replace: (k, v, o) => late(() => inner.replace(k, v, o)),
    compareAndSet: (k, e, v, o) => late(() => inner.compareAndSet(k, e, v, o)),
    setIfAbsent: (k, v, o) => late(() => inner.setIfAbsent(k, v, o)),
    lock: (k, ttl) => late(() => inner.lock(k, ttl)),
    index: inner.index,
  }
}

describe('two instances, one store', () => {
  it('slide vs refresh: a slide based on a read from before the refresh never writes back the old refresh token', async () => {
    const issuer = inject('faultIssuer')
    const shared = new MemoryAdapter()
    const slider = await isolate('slider', {
      issuer,
      adapter: slowLink(shared, LINK_MS),
      touchIntervalSeconds: 1,
    })
    const refresher = await isolate('refresher', {
      issuer,
      adapter: shared,
      touchIntervalSeconds: 1,
    })
    const sessions = await signIn(refresher, SIZES.sessions)
    const recorder = new Recorder()
    await idp.resetCounts(issuer)
    for (let race = 0; race < 3; race++) {
      // The slider's slide is due (its token is not); the refresher's token is due.
      slider.advance(2000)
      refresher.advance((FAULT_ACCESS_TOKEN_TTL + 10) * 1000)
      await Promise.all(
        sessions.map(async (session) => {
          const slide = recorder.send(slider, session)
          await sleep(20)
          await recorder.send(refresher, session)
          await slide
        }),
      )
    }
    const recoveryMs = await recover([refresher], sessions, recorder)
    const unhealthyAfter = await verify([refresher], sessions, recorder, FAULT_ACCESS_TOKEN_TTL)
    expectBar(
      await report({
        scenario: 'slide vs refresh, 2 instances (one on a 300 ms store link), 3 races a session',
        store: 'memory, shared',
        issuer,
        sessions,
        recorder,
        recoveryMs,
        unhealthyAfter,
      }),
    )
  })

  it('logout vs refresh: a refresh that finishes after the logout never brings the session back', async () => {
    const issuer = inject('faultIssuer')
    const shared = new MemoryAdapter()
    const loggingOut = await isolate('logout', { issuer, adapter: slowLink(shared, LINK_MS) })
    const refresher = await isolate('refresher', { issuer, adapter: shared })
    const sessions = await signIn(refresher, SIZES.sessions)
    const recorder = new Recorder()
    const racing = sessions.filter((s) => s.id % 2 === 0)
    const bystanders = sessions.filter((s) => s.id % 2 === 1)
    for (const s of racing) recorder.loggedOut.add(s.id)
    await idp.resetCounts(issuer)
    // Every refresh takes 800 ms at the IdP (processed, answered within the client timeout).
    await idp.fault(issuer, { endpoint: 'token', mode: 'slow', delayMs: 800 })
    refresher.advance((FAULT_ACCESS_TOKEN_TTL + 10) * 1000)
    await Promise.all([
      ...racing.map(async (session) => {
        const refresh = recorder.send(refresher, session)
        await sleep(100)
        await recorder.send(loggingOut, session, '/auth/logout', {
          method: 'POST',
          headers: { origin: BASE_URL, 'sec-fetch-site': 'same-origin' },
        })
        await refresh
      }),
      ...bystanders.map((session) => recorder.send(refresher, session)),
    ])
    await idp.clear(issuer)
    // A logged-out session must stay logged out on both instances.
    let resurrected = 0
    for (const via of [refresher, loggingOut]) {
      for (const session of racing) {
        const res = await via.request('/auth/me', session.cookie)
        const body = (await res.json()) as { user: unknown }
        if (body.user !== null) resurrected++
      }
    }
    await round([refresher], racing, recorder)
    const recoveryMs = await recover([refresher], bystanders, recorder)
    const unhealthyAfter = await verify([refresher], bystanders, recorder, FAULT_ACCESS_TOKEN_TTL)
    expectBar(
      await report({
        scenario:
          'logout vs refresh, 2 instances (logout on a 300 ms store link, IdP 800 ms per refresh)',
        store: 'memory, shared',
        issuer,
        sessions,
        recorder,
        recoveryMs,
        unhealthyAfter,
        resurrected,
      }),
    )
  })
})

import * as oauth from 'oauth4webapi'
import { epochSeconds } from './clock.ts'
import { BezzieError, HookError, RefreshError, TokenExchangeError } from './errors.ts'
import { audienceParameters, getOidc } from './oidc/client.ts'
import { idpRequestOptions, isTransient } from './oidc/http.ts'
import { checkAccessToken, sessionTokens } from './oidc/tokens.ts'
import type { Runtime } from './runtime.ts'
import type { LoadedSession } from './session/load.ts'
import type { SessionRecord } from './session/record.ts'

/** Outcome of {@link ensureFreshTokens}. */
export type RefreshOutcome =
  | { status: 'ok'; session: LoadedSession }
  | { status: 'logged_out' }
  | { status: 'unavailable'; retryAfterSeconds: number }

/** Suggested `Retry-After` (in seconds) when the IdP is unavailable and the token has expired. */
export const RETRY_AFTER_SECONDS = 5

// Module level: concurrent requests of one session in this isolate share one refresh.
const inflight = new Map<string, Promise<RefreshOutcome>>()

/** True when the session's access token is within `refreshBufferSeconds` of expiry. */
export const needsRefresh = (rt: Runtime, r: SessionRecord) =>
  r.tokens.expiresAt - epochSeconds(rt.config.now) <= rt.config.refreshBufferSeconds
const stillValid = (rt: Runtime, r: SessionRecord) =>
  r.tokens.expiresAt > epochSeconds(rt.config.now)

const ok = (key: string, record: SessionRecord): RefreshOutcome => ({
  status: 'ok',
  session: { key, record },
})
const unavailable: RefreshOutcome = {
  status: 'unavailable',
  retryAfterSeconds: RETRY_AFTER_SECONDS,
}

/**
 * Returns the session with an access token that is not within `refreshBufferSeconds` of expiry,
 * refreshing it when needed: at most one refresh per session at a time in this isolate, and
 * across isolates when the adapter offers a lock. Only `invalid_grant` ends the session;
 * transient IdP failures keep it (and the current token while it is still valid).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function ensureFreshTokens(rt: Runtime, session: LoadedSession): Promise<RefreshOutcome> {
  const { key, record } = session
  if (!needsRefresh(rt, record)) return Promise.resolve(ok(key, record))
  if (!record.tokens.refreshToken) {
    if (stillValid(rt, record)) return Promise.resolve(ok(key, record))
    return rt.store.delete(key, record).then(() => ({ status: 'logged_out' }) as const)
  }
  let pending = inflight.get(key)
  if (!pending) {
    pending = refreshWithLock(rt, session).finally(() => inflight.delete(key))
    inflight.set(key, pending)
  }
  return pending
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function refreshWithLock(rt: Runtime, session: LoadedSession): Promise<RefreshOutcome> {
  const { key, record } = session
  if (!rt.store.hasLock) return refreshNow(rt, session)
  const deadline = Date.now() + rt.config.timeouts.lockWaitMs
  let delay = 25
  for (;;) {
    const handle = await rt.store.lockRefresh(key)
    if (handle) {
      try {
        // Another isolate may have refreshed while we waited for the lock.
        const current = await rt.store.read(key)
        if (!current) return { status: 'logged_out' } as const
        if (!needsRefresh(rt, current.record)) return { status: 'ok', session: current }
        return await refreshNow(rt, current)
      } finally {
        await handle.release()
      }
    }
    if (Date.now() + delay > deadline) break
    await sleep(delay)
    delay = Math.min(delay * 2, 400)
    const current = await rt.store.read(key)
    if (!current) return { status: 'logged_out' } as const
    if (!needsRefresh(rt, current.record)) return { status: 'ok', session: current }
  }
  return stillValid(rt, record) ? ok(key, record) : unavailable
}

async function refreshNow(rt: Runtime, session: LoadedSession): Promise<RefreshOutcome> {
  const { config } = rt
  const { key, record } = session
  const refreshToken = record.tokens.refreshToken as string
  let result: oauth.TokenEndpointResponse
  let oidc: Awaited<ReturnType<typeof getOidc>>
  try {
    oidc = await getOidc(config)
    const response = await oauth.refreshTokenGrantRequest(
      oidc.as,
      oidc.client,
      oidc.clientAuth,
      refreshToken,
      {
        ...idpRequestOptions(config.insecureIssuer),
        additionalParameters: config.audienceParam === 'resource' ? audienceParameters(config) : {},
      },
    )
    result = await oauth.processRefreshTokenResponse(oidc.as, oidc.client, response)
  } catch (e) {
    if (e instanceof oauth.ResponseBodyError && e.error === 'invalid_grant') {
      // With an eventually consistent store another isolate may have rotated the token already.
      const latest = await rt.store.read(key)
      if (
        latest &&
        latest.record.tokens.refreshToken !== refreshToken &&
        !needsRefresh(rt, latest.record)
      ) {
        return { status: 'ok', session: latest }
      }
      rt.report(new RefreshError('refresh_token_invalid', 'the IdP rejected the refresh token', e))
      await rt.store.delete(key, record)
      return { status: 'logged_out' }
    }
    const transient = e instanceof BezzieError || isTransient(e)
    rt.report(
      new RefreshError(
        'refresh_failed',
        transient ? 'the IdP is unavailable; token refresh failed' : 'token refresh failed',
        e,
      ),
    )
    return stillValid(rt, record) ? ok(key, record) : unavailable
  }
  try {
    await checkAccessToken(config, oidc, result.access_token)
  } catch (e) {
    rt.report(
      new TokenExchangeError('access_token_invalid', 'refreshed access token did not verify', e),
    )
    return stillValid(rt, record) ? ok(key, record) : unavailable
  }
  const next: SessionRecord = {
    ...record,
    tokens: sessionTokens(result, config.now, record.tokens),
  }
  const tokens = next.tokens
  const written = await rt.store.update(session, (current) =>
    current.tokens.refreshToken === refreshToken ? { ...current, tokens } : null,
  )
  if (!written) return { status: 'logged_out' }
  if (config.onRefresh) {
    try {
      await config.onRefresh({ user: { ...next.user }, expiresAt: next.tokens.expiresAt })
    } catch (e) {
      rt.report(new HookError('onRefresh', e))
    }
  }
  return { status: 'ok', session: written }
}

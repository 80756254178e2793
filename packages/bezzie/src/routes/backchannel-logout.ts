import type { Context } from 'hono'
import {
  LOGOUT_TOKEN_CLOCK_TOLERANCE_SECONDS,
  LOGOUT_TOKEN_MAX_AGE_SECONDS,
  verifyLogoutToken,
} from '../backchannel/verify-logout-token.ts'
import { LogoutTokenError } from '../errors.ts'
import { getOidc } from '../oidc/client.ts'
import { asBezzieError } from '../respond.ts'
import type { Runtime } from '../runtime.ts'
import { deleteSessions } from '../sessions.ts'

/** How long (in milliseconds) a seen `jti` is remembered: longer than a token can be accepted. */
const JTI_MEMORY_MS =
  (LOGOUT_TOKEN_MAX_AGE_SECONDS + 2 * LOGOUT_TOKEN_CLOCK_TOLERANCE_SECONDS) * 1000

/** Largest request body read (in bytes); a logout token is at most a few KB. */
const MAX_BODY_BYTES = 64 * 1024

/**
 * The request body as text, or `null` when it is larger than `limit` bytes: refused on its
 * `Content-Length` or cut off while streaming, so an anonymous caller cannot make the Worker
 * buffer an arbitrarily large body.
 */
async function boundedText(request: Request, limit: number): Promise<string | null> {
  if (Number(request.headers.get('content-length')) > limit) return null
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(body)
}

/**
 * `POST /backchannel-logout`: the IdP's back-channel logout. Verifies the `logout_token` (see
 * {@link verifyLogoutToken}), rejects a replayed `jti`, then deletes the sessions of its `sid`
 * (every session of `sub` when it carries no `sid`) through the adapter's index. Answers 200
 * with an empty body, 400 `{ error: "invalid_request", error_description }` for a bad request or
 * token, 503 `{ error: "temporarily_unavailable" }` when the IdP's keys or the store are
 * unreachable (the IdP may retry).
 *
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#BCRequest
 */
export function backchannelLogoutHandler(rt: Runtime) {
  return async function backchannelLogout(c: Context): Promise<Response> {
    c.header('Cache-Control', 'no-store')
    try {
      const type = c.req.header('content-type') ?? ''
      if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
        throw new LogoutTokenError('expected an application/x-www-form-urlencoded body')
      }
      const text = await boundedText(c.req.raw, MAX_BODY_BYTES)
      if (text === null) throw new LogoutTokenError('request body too large')
      const body = new URLSearchParams(text)
      const token = body.get('logout_token')
      if (!token) throw new LogoutTokenError('missing logout_token')

      let oidc: Awaited<ReturnType<typeof getOidc>>
      try {
        oidc = await getOidc(rt.config)
      } catch (e) {
        throw new LogoutTokenError('OpenID Provider discovery failed', { status: 503, cause: e })
      }
      if (!oidc.as.jwks_uri) {
        throw new LogoutTokenError('the IdP publishes no jwks_uri', { status: 503 })
      }
      const claims = await verifyLogoutToken(token, {
        issuer: oidc.as.issuer,
        clientId: rt.config.clientId,
        jwksUri: oidc.as.jwks_uri,
      })
      const seen = await rt.store.rememberOnce(claims.jti, Math.ceil(JTI_MEMORY_MS / 1000))
      if (!seen) throw new LogoutTokenError('logout token replayed (jti already used)')
      try {
        // The IdP ended this session itself: its refresh tokens are not revoked back at it.
        await deleteSessions(rt, claims.sid ? { sid: claims.sid } : { sub: claims.sub as string }, {
          revokeRefreshTokens: false,
        })
      } catch (e) {
        // The IdP retries after a 503 with the same token: it must not then count as a replay.
        await seen.forget().catch(() => {})
        throw e
      }
      return c.body(null, 200)
    } catch (e) {
      const error = asBezzieError(e)
      rt.report(error)
      if (error instanceof LogoutTokenError && error.status === 400) {
        return c.json({ error: 'invalid_request', error_description: error.message }, 400)
      }
      return c.json({ error: 'temporarily_unavailable', error_description: 'try again later' }, 503)
    }
  }
}

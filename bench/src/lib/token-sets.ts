import type { SessionAdapter, SetOptions } from 'bezzie'
import { bezzieApp, bezzieLogin, loadBezzie } from './bezzie-app.ts'
import { AUDIENCE, BEZZIE_CLIENT } from './idp.ts'

/** A session's contents as bezzie stores them (the fields `auth.sessions.create` takes). */
export interface SessionContents {
  user: { sub: string; [claim: string]: unknown }
  claims: { sub: string; sid?: string }
  tokens: { accessToken: string; refreshToken?: string; idToken?: string; expiresAt: number }
}

export interface RealSessions {
  /** The record JSON exactly as bezzie stored it after the login (no `secret`). */
  storedRecord: string
  /** One session per distinct access token: the login's, then one per refresh grant. */
  sessions: SessionContents[]
}

/** A memory store that keeps the last value written, to read back what bezzie stored. */
function capturing(inner: SessionAdapter): { adapter: SessionAdapter; last(): string } {
  let last = ''
  const adapter: SessionAdapter = {
    get: (k) => inner.get(k),
    set: (k, v, o: SetOptions) => {
      // The session record is the value that carries the tokens (whatever its key looks like).
      if (v.includes('"accessToken"')) last = v
      return inner.set(k, v, o)
    },
    delete: (k) => inner.delete(k),
  }
  return { adapter, last: () => last }
}

/**
 * `count` real sessions of alice with distinct access tokens, all issued by the IdP at `issuer`:
 * one real authorization-code login through bezzie (at `origin`), then refresh grants with its
 * refresh token at the IdP's token endpoint (the IdP does not rotate refresh tokens here). Nothing
 * is forged: every access token is a JWT the IdP signed for the bench's client and audience.
 */
export async function realSessions(
  issuer: string,
  origin: string,
  count: number,
): Promise<RealSessions> {
  const bz = await loadBezzie()
  const store = capturing(new bz.MemoryAdapter())
  await bezzieLogin(bezzieApp(bz, { issuer, adapter: store.adapter, origin }), origin)
  const storedRecord = store.last()
  const login = JSON.parse(storedRecord) as SessionContents
  const refreshToken = login.tokens.refreshToken
  if (!refreshToken) throw new Error('the bench login got no refresh token')
  const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    token_endpoint: string
  }
  const basic = btoa(`${BEZZIE_CLIENT.clientId}:${BEZZIE_CLIENT.clientSecret}`)
  const grant = async (): Promise<SessionContents> => {
    const res = await fetch(metadata.token_endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        resource: AUDIENCE,
      }),
    })
    const body = (await res.json()) as {
      access_token?: string
      expires_in?: number
      id_token?: string
    }
    if (!res.ok || !body.access_token) {
      throw new Error(`refresh grant failed: ${res.status} ${JSON.stringify(body).slice(0, 200)}`)
    }
    return {
      user: login.user,
      claims: login.claims,
      tokens: {
        accessToken: body.access_token,
        refreshToken,
        ...(body.id_token ? { idToken: body.id_token } : {}),
        expiresAt: Math.floor(Date.now() / 1000) + (body.expires_in ?? 3600),
      },
    }
  }
  const sessions: SessionContents[] = [
    { user: login.user, claims: login.claims, tokens: login.tokens },
  ]
  const parallel = 4
  while (sessions.length < count) {
    const batch = Math.min(parallel, count - sessions.length)
    sessions.push(...(await Promise.all(Array.from({ length: batch }, grant))))
  }
  return { storedRecord, sessions }
}

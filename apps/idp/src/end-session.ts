import type { default as Provider } from 'oidc-provider'
import type { MemoryStore } from './memory-store.ts'

interface SessionAuthorization {
  sid?: string
  grantId?: string
  persistsLogout?: boolean
}

interface BackchannelClient {
  backchannelLogoutUri?: string
  backchannelLogout(sub: string, sid: string | undefined): Promise<void>
}

/**
 * Ends every IdP session of `sub`: sends an OpenID Connect Back-Channel Logout token to each client
 * of those sessions that registered a `backchannel_logout_uri`, revokes the sessions' grants (and
 * with them their refresh tokens), and deletes the sessions. Rejects after all of that when a
 * delivery failed.
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#BCRequest
 */
export async function endSessionsOf(
  provider: Provider,
  store: MemoryStore,
  sub: string,
): Promise<void> {
  const failures: unknown[] = []
  for (const session of store.list('Session')) {
    if (session.accountId !== sub) continue
    const authorizations = (session.authorizations ?? {}) as Record<string, SessionAuthorization>
    await Promise.all(
      Object.entries(authorizations).map(async ([clientId, authorization]) => {
        const client = (await provider.Client.find(clientId)) as unknown as
          | BackchannelClient
          | undefined
        if (client?.backchannelLogoutUri) {
          await client.backchannelLogout(sub, authorization.sid).catch((error: unknown) => {
            failures.push(error)
          })
        }
        if (authorization.grantId && !authorization.persistsLogout) {
          store.revokeGrant(authorization.grantId)
        }
      }),
    )
    if (session.jti) store.remove('Session', session.jti)
  }
  if (failures.length) {
    throw new AggregateError(
      failures,
      `back-channel logout failed for ${failures.length} client(s)`,
    )
  }
}

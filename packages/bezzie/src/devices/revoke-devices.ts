import { getOidc } from '../oidc/client.ts'
import { revokeRefreshToken } from '../oidc/revoke.ts'
import { asBezzieError } from '../respond.ts'
import type { Runtime } from '../runtime.ts'
import { listSessions } from './sessions-list.ts'

/** Which of a user's sessions {@link revokeDevices} ends. */
export type DeviceSelector = { sub: string; id: string } | { sub: string; except: string }

/**
 * Ends one session of `sub` (`id`, a handle from the session list) or every one but `except`
 * ("sign out all other devices"): each refresh token is revoked at the IdP first (best effort,
 * failures reported), then the session deleted. Resolves the number of sessions ended; a handle
 * that names no session of `sub` ends nothing.
 */
export async function revokeDevices(rt: Runtime, selector: DeviceSelector): Promise<number> {
  const sessions = await listSessions(rt, selector.sub, undefined)
  const chosen = sessions.filter((s) =>
    'id' in selector ? s.info.id === selector.id : s.info.id !== selector.except,
  )
  let oidc: ReturnType<typeof getOidc> | undefined
  for (const { key, record } of chosen) {
    const refreshToken = record.tokens.refreshToken
    if (refreshToken) {
      oidc ??= getOidc(rt.config)
      try {
        await revokeRefreshToken(rt, await oidc, refreshToken)
      } catch (e) {
        // Discovery down: reported, and the device is signed out anyway.
        rt.report(asBezzieError(e))
      }
    }
    await rt.store.delete(key, record)
  }
  return chosen.length
}

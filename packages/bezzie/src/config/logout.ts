import type { SessionAdapter } from '../adapter.ts'
import { ConfigError } from '../errors.ts'
import { boolean, either, group } from './validate.ts'

/** Logout: `logout` in {@link BezzieConfig}. */
export interface LogoutConfig {
  /**
   * Send the session's ID token as `id_token_hint` to the IdP's `end_session_endpoint` (and to
   * preset logout URLs that accept it), as OpenID Connect RP-Initiated Logout recommends: the IdP
   * then knows which session ends and skips its "do you want to log out?" prompt. The ID token is
   * an identity assertion for the RP, not a credential for APIs, but it does travel in the URL of
   * a browser redirect to the IdP. `false` leaves it out; logout then identifies the client by
   * `client_id` only (the IdP may ask the user to confirm). Default `true`.
   *
   * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
   */
  idTokenHint?: boolean
  /**
   * Serve `POST {basePath}/backchannel-logout` for OpenID Connect Back-Channel Logout: the IdP
   * posts a signed logout token and every session of that `sid` (or `sub`) is deleted. Needs an
   * adapter with an `index` (Durable Objects, Redis, memory); with KV it is a `ConfigError`.
   * Default `false`. The seed's flat form: `backchannelLogout`.
   *
   * @see https://openid.net/specs/openid-connect-backchannel-1_0.html
   */
  backchannel?: boolean
}

/** {@link LogoutConfig} with every default applied. */
export type ResolvedLogout = Required<LogoutConfig>

/** Resolves `logout` (and the seed's `backchannelLogout`). */
export function resolveLogout(config: {
  logout?: LogoutConfig
  backchannelLogout?: boolean
  adapter: SessionAdapter
}): ResolvedLogout {
  const g = group<LogoutConfig>(config, 'logout')
  const idTokenHint = boolean({ value: g.idTokenHint, name: 'logout.idTokenHint' }, true)
  const option = either(
    g.backchannel,
    'logout.backchannel',
    config.backchannelLogout,
    'backchannelLogout',
  )
  const backchannel = boolean(option, false)
  if (backchannel && !config.adapter.index) {
    throw new ConfigError(
      option.name,
      'needs an adapter with an index to find the sessions to delete (Durable Objects, KV with a coordinator, Redis); plain Cloudflare KV has none',
    )
  }
  return { idTokenHint, backchannel }
}

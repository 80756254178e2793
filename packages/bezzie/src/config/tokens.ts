import { ConfigError } from '../errors.ts'
import { boolean, either, group, seconds } from './validate.ts'

/** The user's tokens: `tokens` in {@link BezzieConfig}. */
export interface TokensConfig {
  /**
   * Refresh the access token when it expires within this many seconds (also how early tokens for
   * other APIs and the client's own token are renewed). Default 60. The seed's flat form:
   * `refreshBufferSeconds`.
   */
  refreshBufferSeconds?: number
  /**
   * Verify the JWT access token (signature via JWKS, `iss`, `aud`, `exp`) on every authenticated
   * request, not only when it is received. Needs `audience` (what `aud` must be). Default
   * `false`. The seed's flat form: `validateAccessToken`.
   *
   * The signature is checked once per token, not once per request: when bezzie verifies a token
   * it obtained (login, refresh) it keeps a mark of that in the session record (key id and key,
   * issuer and audience), and a request in any isolate then checks that the IdP's key set still
   * publishes that key and that `exp`/`nbf` hold. The mark is trusted as the rest of the record
   * is: sealed with `secret`; without `secret`, whoever can write the store can plant tokens and
   * claims already. A key rotated out of the key set fails the token once bezzie fetches the set
   * again (within 10 minutes): one refresh, then 401.
   */
  validateAccessToken?: boolean
  /**
   * Clock skew (in seconds) tolerated when checking the `exp`, `nbf` and `iat` of ID tokens and
   * JWT access tokens, so that a Worker whose clock is off by a couple of minutes does not reject
   * good tokens (or log anyone out). Default 150. The seed's flat form: `clockToleranceSeconds`.
   */
  clockToleranceSeconds?: number
}

/** {@link TokensConfig} with every default applied. */
export type ResolvedTokens = Required<TokensConfig>

/** The seed's flat names of the token options. */
export interface FlatTokensConfig {
  refreshBufferSeconds?: number
  validateAccessToken?: boolean
  clockToleranceSeconds?: number
}

/** Resolves `tokens` (and the seed's flat token options). */
export function resolveTokens(
  config: FlatTokensConfig & { tokens?: TokensConfig; audience?: string },
): ResolvedTokens {
  const g = group<TokensConfig>(config, 'tokens')
  const validate = either(
    g.validateAccessToken,
    'tokens.validateAccessToken',
    config.validateAccessToken,
    'validateAccessToken',
  )
  const validateAccessToken = boolean(validate, false)
  if (validateAccessToken && config.audience === undefined) {
    throw new ConfigError(
      validate.name,
      'needs "audience": without it no access token can be checked, and nothing would be',
    )
  }
  return {
    refreshBufferSeconds: seconds(
      either(
        g.refreshBufferSeconds,
        'tokens.refreshBufferSeconds',
        config.refreshBufferSeconds,
        'refreshBufferSeconds',
      ),
      60,
      0,
    ),
    validateAccessToken,
    clockToleranceSeconds: seconds(
      either(
        g.clockToleranceSeconds,
        'tokens.clockToleranceSeconds',
        config.clockToleranceSeconds,
        'clockToleranceSeconds',
      ),
      150,
      0,
    ),
  }
}

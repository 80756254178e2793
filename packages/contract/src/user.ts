/**
 * The signed-in user: what the BFF puts in `c.var.user` and answers in `GET {basePath}/me`.
 * The output of the BFF's `mapClaims`, by default a selection of the standard OpenID Connect
 * profile claims. `sub` is always present; every other claim depends on the scopes and on
 * `mapClaims`.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
export interface BezzieUser {
  /** Subject identifier at the IdP (OpenID Connect Core 1.0 §5.1). */
  sub: string
  name?: string
  given_name?: string
  family_name?: string
  email?: string
  email_verified?: boolean
  picture?: string
  [claim: string]: unknown
}

import { ApiError } from './errors.ts'

/** The validated settings this Worker runs with. */
export interface Config {
  /**
   * Issuer identifier of the OpenID Provider exactly as it appears in `iss`
   * (e.g. `http://localhost:4010`; Auth0's ends with a slash, so it is kept verbatim).
   */
  readonly issuer: string
  /** The `aud` value every access token must carry (e.g. `https://api.bezzie.local`). */
  readonly audience: string
  /**
   * The `aud` of the second API served under `/billing/api/*` (default
   * `https://billing.bezzie.local`): a BFF calling both APIs needs a token per audience.
   */
  readonly billingAudience: string
  /**
   * `DPOP_NONCE_SECRET`: when set, every DPoP proof must carry a nonce this API issued (RFC 9449
   * §9), made from this secret (so every isolate issues and accepts the same ones). Default: unset,
   * no nonces.
   */
  readonly dpopNonceSecret?: string
}

/** The second API's audience when `BILLING_AUDIENCE` is not set. */
export const DEFAULT_BILLING_AUDIENCE = 'https://billing.bezzie.local'

const cache = new WeakMap<object, Config>()

/**
 * Validates the Worker's environment once per `env` object.
 *
 * @throws {ApiError} `server_misconfigured` naming the offending variable.
 */
export function readConfig(
  env: Partial<Record<'ISSUER' | 'AUDIENCE' | 'BILLING_AUDIENCE' | 'DPOP_NONCE_SECRET', unknown>>,
): Config {
  const cached = cache.get(env)
  if (cached) return cached
  const audience = parseAudience(env.AUDIENCE)
  const billingAudience =
    env.BILLING_AUDIENCE === undefined
      ? DEFAULT_BILLING_AUDIENCE
      : parseAudience(env.BILLING_AUDIENCE, 'BILLING_AUDIENCE')
  if (billingAudience === audience) {
    throw misconfigured('BILLING_AUDIENCE must differ from AUDIENCE: each API has its own')
  }
  const secret = env.DPOP_NONCE_SECRET
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < 16)) {
    throw misconfigured('DPOP_NONCE_SECRET must be at least 16 characters when set')
  }
  const config: Config = {
    issuer: parseIssuer(env.ISSUER),
    audience,
    billingAudience,
    ...(secret === undefined ? {} : { dpopNonceSecret: secret as string }),
  }
  cache.set(env, config)
  return config
}

function parseIssuer(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw misconfigured(
      'ISSUER is not set: give the OpenID Provider issuer URL, e.g. http://localhost:4010',
    )
  }
  const issuer = value.trim()
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw misconfigured(`ISSUER must be an absolute URL, got "${value}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw misconfigured(`ISSUER must be an http(s) URL, got "${value}"`)
  }
  if (url.search || url.hash) {
    throw misconfigured('ISSUER must not contain a query or fragment (RFC 8414 section 2)')
  }
  return issuer
}

function parseAudience(value: unknown, name = 'AUDIENCE'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw misconfigured(`${name} is not set: give the audience access tokens are issued for`)
  }
  return value.trim()
}

function misconfigured(message: string): ApiError {
  return new ApiError(500, 'server_misconfigured', message)
}

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
}

const cache = new WeakMap<object, Config>()

/**
 * Validates the Worker's environment once per `env` object.
 *
 * @throws {ApiError} `server_misconfigured` naming the offending variable.
 */
export function readConfig(env: Partial<Record<'ISSUER' | 'AUDIENCE', unknown>>): Config {
  const cached = cache.get(env)
  if (cached) return cached
  const config: Config = { issuer: parseIssuer(env.ISSUER), audience: parseAudience(env.AUDIENCE) }
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

function parseAudience(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw misconfigured('AUDIENCE is not set: give the audience access tokens are issued for')
  }
  return value.trim()
}

function misconfigured(message: string): ApiError {
  return new ApiError(500, 'server_misconfigured', message)
}

import { ConfigError } from '../errors.ts'
import { resolveClientKeys, resolveDpop } from '../oidc/client-auth.ts'
import type { BezzieConfig } from './options.ts'
import { nonEmptyString } from './validate.ts'

/** The options naming the IdP, the client, the app and its store. */
export type ClientOptions = Pick<
  BezzieConfig,
  | 'issuer'
  | 'clientId'
  | 'clientSecret'
  | 'clientPrivateKey'
  | 'pushedAuthorizationRequests'
  | 'dpop'
  | 'audience'
  | 'adapter'
  | 'baseUrl'
  | 'secret'
>

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

function url(value: unknown, option: string, what: string): URL {
  try {
    return new URL(nonEmptyString(value, option))
  } catch (e) {
    if (e instanceof ConfigError) throw e
    throw new ConfigError(option, `is not ${what}: ${JSON.stringify(value)}`)
  }
}

/** Resolves the issuer, the client's credentials, the adapter, `baseUrl` and `secret`. */
export function resolveClient(config: ClientOptions) {
  const issuer = url(config.issuer, 'issuer', 'a URL')
  const insecureIssuer = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname)
  if (issuer.protocol !== 'https:' && !insecureIssuer) {
    throw new ConfigError(
      'issuer',
      'must use https: (http: is allowed for localhost and 127.0.0.1 only)',
    )
  }
  if (issuer.search || issuer.hash) {
    throw new ConfigError('issuer', 'must not contain a query or fragment')
  }
  const clientId = nonEmptyString(config.clientId, 'clientId')
  if (config.clientSecret !== undefined) nonEmptyString(config.clientSecret, 'clientSecret')
  const clientKeys = resolveClientKeys(config.clientPrivateKey)
  if (clientKeys.length > 0 && config.clientSecret !== undefined) {
    throw new ConfigError(
      'clientPrivateKey',
      'use either clientSecret or clientPrivateKey, not both',
    )
  }
  const par = config.pushedAuthorizationRequests
  if (par !== undefined && typeof par !== 'boolean') {
    throw new ConfigError('pushedAuthorizationRequests', 'must be a boolean')
  }
  const dpop = resolveDpop(config.dpop)
  if (config.audience !== undefined) nonEmptyString(config.audience, 'audience')

  const adapter = config.adapter
  if (
    !adapter ||
    typeof adapter.get !== 'function' ||
    typeof adapter.set !== 'function' ||
    typeof adapter.delete !== 'function'
  ) {
    throw new ConfigError('adapter', 'must be a SessionAdapter with get, set and delete')
  }

  const baseUrl = url(config.baseUrl, 'baseUrl', 'an absolute URL')
  if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') {
    throw new ConfigError('baseUrl', 'must be an http(s) URL')
  }
  if (baseUrl.pathname !== '/' || baseUrl.search || baseUrl.hash) {
    throw new ConfigError(
      'baseUrl',
      'must be an origin such as "https://app.example.com" (no path)',
    )
  }
  return {
    issuer,
    insecureIssuer,
    clientId,
    clientSecret: config.clientSecret,
    clientKeys,
    pushedAuthorizationRequests: par,
    dpop,
    audience: config.audience,
    adapter,
    baseUrl,
    origin: baseUrl.origin,
    postLogoutRedirectUri: baseUrl.href,
    secrets: resolveSecrets(config.secret),
  }
}

function resolveSecrets(secret: string | string[] | undefined): string[] {
  const secrets = secret === undefined ? [] : Array.isArray(secret) ? [...secret] : [secret]
  if (secret !== undefined && secrets.length === 0) {
    throw new ConfigError('secret', 'must not be an empty array')
  }
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < 32) {
      throw new ConfigError('secret', 'must be at least 32 characters (use a random value)')
    }
  }
  return secrets
}

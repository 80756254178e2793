/** Where the Worker keeps sessions: Workers KV, or the `BezzieSessionStore` Durable Object. */
export type SessionStoreKind = 'kv' | 'durable-object'

/** Which bezzie provider preset the issuer gets: a generic OpenID Provider, or Auth0. */
export type ProviderKind = 'oidc' | 'auth0'

/** The Worker's configuration, validated from its environment by {@link readWorkerConfig}. */
export interface WorkerConfig {
  provider: ProviderKind
  issuer: string
  clientId: string
  clientSecret: string
  audience: string
  baseUrl: string
  /** Encrypts session records at rest when set (at least 32 characters). */
  sessionSecret: string | undefined
  upstreamUrl: string
  sessionStore: SessionStoreKind
  /** Refresh the access token when it expires within this many seconds. */
  refreshBufferSeconds: number
  /** The scopes the login asks for: OpenID scopes plus the upstream API's own. */
  scopes: string[]
  /** Sender-constrained (DPoP) tokens instead of bearer tokens (`DPOP`, default off). */
  dpop: boolean
}

/** A variable of the Worker's environment is missing or invalid; the message names it. */
export class EnvError extends Error {
  /** The offending variable, e.g. `"ISSUER"`. */
  readonly variable: string

  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`)
    this.name = this.constructor.name
    this.variable = variable
  }
}

const SESSION_STORES: readonly SessionStoreKind[] = ['kv', 'durable-object']
const PROVIDERS: readonly ProviderKind[] = ['oidc', 'auth0']

function text(env: Env, variable: keyof Env, hint: string): string {
  const value: unknown = env[variable]
  if (typeof value !== 'string' || value.trim() === '') {
    throw new EnvError(variable, `is not set: ${hint}`)
  }
  return value.trim()
}

function httpUrl(env: Env, variable: keyof Env, hint: string): URL {
  const value = text(env, variable, hint)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new EnvError(variable, `must be an absolute http(s) URL, got ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EnvError(variable, `must be an http(s) URL, got ${JSON.stringify(value)}`)
  }
  return url
}

/**
 * Reads and validates the Worker's environment once per request, at the boundary, so a
 * misconfiguration is reported by variable name (never as a stack trace) before any handler runs.
 * Secrets are never echoed in messages.
 */
export function readWorkerConfig(env: Env): WorkerConfig {
  const issuerUrl = httpUrl(env, 'ISSUER', 'the OpenID Provider issuer URL')
  const provider = (env.PROVIDER ?? 'oidc') as ProviderKind
  if (!PROVIDERS.includes(provider)) {
    throw new EnvError('PROVIDER', `must be "oidc" or "auth0", got ${JSON.stringify(env.PROVIDER)}`)
  }
  if (provider === 'auth0' && (issuerUrl.protocol !== 'https:' || issuerUrl.pathname !== '/')) {
    throw new EnvError(
      'ISSUER',
      `must be the Auth0 tenant as "https://YOUR_TENANT.auth0.com/" when PROVIDER is "auth0", got ${JSON.stringify(env.ISSUER)}`,
    )
  }
  const baseUrl = httpUrl(env, 'BASE_URL', 'the public origin of the app (the Pages origin)')
  if (baseUrl.pathname !== '/' || baseUrl.search || baseUrl.hash) {
    throw new EnvError(
      'BASE_URL',
      `must be an origin without a path, got ${JSON.stringify(baseUrl.href)}`,
    )
  }
  const upstream = httpUrl(env, 'UPSTREAM_URL', 'the upstream API origin')

  const rawSecret: unknown = env.SESSION_SECRET
  const sessionSecret = rawSecret === undefined || rawSecret === '' ? undefined : rawSecret
  if (
    sessionSecret !== undefined &&
    (typeof sessionSecret !== 'string' || sessionSecret.length < 32)
  ) {
    throw new EnvError('SESSION_SECRET', 'must be at least 32 characters when set')
  }

  const sessionStore = (env.SESSION_STORE ?? 'kv') as SessionStoreKind
  if (!SESSION_STORES.includes(sessionStore)) {
    throw new EnvError(
      'SESSION_STORE',
      `must be "kv" or "durable-object", got ${JSON.stringify(env.SESSION_STORE)}`,
    )
  }
  if (sessionStore === 'kv' && !env.SESSION_KV) {
    throw new EnvError('SESSION_KV', 'KV namespace binding is missing (SESSION_STORE is "kv")')
  }
  if (sessionStore === 'durable-object' && !env.SESSION_DO) {
    throw new EnvError(
      'SESSION_DO',
      'Durable Object binding is missing (SESSION_STORE is "durable-object")',
    )
  }

  const rawBuffer = env.REFRESH_BUFFER_SECONDS ?? '60'
  const refreshBufferSeconds = Number(rawBuffer)
  if (
    rawBuffer.trim() === '' ||
    !Number.isInteger(refreshBufferSeconds) ||
    refreshBufferSeconds < 0
  ) {
    throw new EnvError(
      'REFRESH_BUFFER_SECONDS',
      `must be a whole number of seconds >= 0, got ${JSON.stringify(rawBuffer)}`,
    )
  }

  const rawDpop = env.DPOP ?? 'false'
  if (rawDpop !== 'true' && rawDpop !== 'false') {
    throw new EnvError('DPOP', `must be "true" or "false", got ${JSON.stringify(rawDpop)}`)
  }

  return {
    provider,
    // Kept verbatim: it must equal the `iss` the IdP puts in tokens (Auth0's ends with "/").
    issuer: text(env, 'ISSUER', 'the OpenID Provider issuer URL'),
    clientId: text(env, 'CLIENT_ID', 'the OAuth client id'),
    clientSecret: text(
      env,
      'CLIENT_SECRET',
      'set it with `wrangler secret put CLIENT_SECRET` (locally: apps/worker/.dev.vars)',
    ),
    audience: text(env, 'AUDIENCE', 'the API audience access tokens are requested for'),
    baseUrl: baseUrl.origin,
    sessionSecret,
    upstreamUrl: upstream.href.replace(/\/$/, ''),
    sessionStore,
    refreshBufferSeconds,
    scopes: readScopes(env),
    dpop: rawDpop === 'true',
  }
}

const DEFAULT_SCOPES = 'openid profile email offline_access'

function readScopes(env: Env): string[] {
  const raw: unknown = env.SCOPES ?? DEFAULT_SCOPES
  const scopes = typeof raw === 'string' ? raw.split(/\s+/).filter(Boolean) : []
  if (!scopes.includes('openid')) {
    throw new EnvError(
      'SCOPES',
      `must be a space-separated list that includes "openid", got ${JSON.stringify(raw)}`,
    )
  }
  return scopes
}

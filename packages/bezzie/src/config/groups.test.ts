import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../adapters/memory.ts'
import { type BezzieConfig, type ResolvedConfig, resolveConfig } from '../config.ts'
import { ConfigError } from '../errors.ts'

const valid: BezzieConfig = {
  issuer: 'https://idp.example.com',
  clientId: 'client',
  clientSecret: 'secret',
  audience: 'https://api.example.com',
  adapter: new MemoryAdapter(),
  baseUrl: 'https://app.example.com',
}

function refusal(config: Partial<BezzieConfig>): ConfigError {
  try {
    resolveConfig({ ...valid, ...config } as BezzieConfig)
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    return e as ConfigError
  }
  throw new Error(`accepted ${JSON.stringify(config)}`)
}

const onLogin = () => {}
const onError = () => {}
const mapClaims = (claims: Record<string, unknown>) => ({ sub: String(claims.sub) })

/** Every option with a grouped and a flat (seed) form: [grouped, flat, a value, another]. */
const PAIRS: [Partial<BezzieConfig>, Partial<BezzieConfig>, Partial<BezzieConfig>][] = [
  [{ session: { idleTtlSeconds: 3600 } }, { sessionTtlSeconds: 3600 }, { sessionTtlSeconds: 7200 }],
  [
    { session: { absoluteTtlSeconds: 86_400 * 30 } },
    { absoluteSessionTtlSeconds: 86_400 * 30 },
    { absoluteSessionTtlSeconds: 86_400 * 20 },
  ],
  [
    { session: { touchIntervalSeconds: 60 } },
    { touchIntervalSeconds: 60 },
    { touchIntervalSeconds: 120 },
  ],
  [{ cookie: { name: 'sid' } }, { cookieName: 'sid' }, { cookieName: 'other' }],
  [{ cookie: { secure: false } }, { secureCookies: false }, { secureCookies: true }],
  [
    { tokens: { refreshBufferSeconds: 30 } },
    { refreshBufferSeconds: 30 },
    { refreshBufferSeconds: 90 },
  ],
  [
    { tokens: { validateAccessToken: true } },
    { validateAccessToken: true },
    { validateAccessToken: false },
  ],
  [
    { tokens: { clockToleranceSeconds: 10 } },
    { clockToleranceSeconds: 10 },
    { clockToleranceSeconds: 20 },
  ],
  [{ hooks: { onLogin } }, { onLogin }, { onLogin: () => {} }],
  [{ hooks: { onError } }, { onError }, { onError: () => {} }],
  [{ hooks: { mapClaims } }, { mapClaims }, { mapClaims: () => ({ sub: 'x' }) }],
]

/** The resolved config without the functions that differ per call (compared separately). */
const data = (c: ResolvedConfig) => JSON.parse(JSON.stringify({ ...c, adapter: undefined }))

describe('the config in groups', () => {
  it.each(PAIRS)('%j resolves exactly as its flat form', (grouped, flat) => {
    const a = resolveConfig({ ...valid, ...grouped })
    const b = resolveConfig({ ...valid, ...flat })
    expect(data(a)).toEqual(data(b))
    expect(a.hooks).toEqual(b.hooks)
  })

  it.each(PAIRS)('%j and its flat form set to the same value are accepted', (grouped, flat) => {
    expect(() => resolveConfig({ ...valid, ...grouped, ...flat })).not.toThrow()
  })

  it.each(PAIRS)('%j contradicted by its flat form is refused naming both', (grouped, _, other) => {
    const error = refusal({ ...grouped, ...other })
    const groupName = Object.keys(grouped)[0] as string
    const inner = Object.keys((grouped as Record<string, object>)[groupName] as object)[0]
    expect(error.option).toBe(`${groupName}.${inner}`)
    expect(error.message).toContain(`"${Object.keys(other)[0]}"`)
  })

  it('groups apply their defaults and units', () => {
    const c = resolveConfig(valid)
    expect(c.session).toEqual({
      idleTtlSeconds: 86_400,
      absoluteTtlSeconds: 604_800,
      touchIntervalSeconds: 300,
    })
    expect(c.tokens).toEqual({
      refreshBufferSeconds: 60,
      validateAccessToken: false,
      clockToleranceSeconds: 150,
    })
    expect(c.logout).toEqual({ idTokenHint: true, backchannel: false })
    expect(c.cookie.fullName).toBe('__Host-session')
    expect(c.csrf).toEqual({ requireHeader: undefined, allowSameSite: false, everyMethod: false })
  })

  it('an idle lifetime longer than the absolute one is refused naming both, as written', () => {
    const grouped = refusal({ session: { idleTtlSeconds: 7200, absoluteTtlSeconds: 3600 } })
    expect(grouped.option).toBe('session.absoluteTtlSeconds')
    expect(grouped.message).toContain('session.idleTtlSeconds')
    const mixed = refusal({ sessionTtlSeconds: 7200, session: { absoluteTtlSeconds: 3600 } })
    expect(mixed.option).toBe('session.absoluteTtlSeconds')
    expect(mixed.message).toContain('sessionTtlSeconds')
  })

  it('a touch interval as long as the idle lifetime is refused (the session would never slide)', () => {
    const error = refusal({ session: { idleTtlSeconds: 600, touchIntervalSeconds: 600 } })
    expect(error.option).toBe('session.touchIntervalSeconds')
    expect(error.message).toContain('session.idleTtlSeconds')
    expect(() =>
      resolveConfig({ ...valid, session: { idleTtlSeconds: 600, touchIntervalSeconds: 599 } }),
    ).not.toThrow()
  })

  it('csrf.everyMethod with csrf.requireHeader: false is refused naming both', () => {
    const error = refusal({ csrf: { requireHeader: false, everyMethod: true } })
    expect(error.option).toBe('csrf.everyMethod')
    expect(error.message).toContain('csrf.requireHeader')
  })

  it('validateAccessToken without an audience (nothing to check aud against) is refused', () => {
    const { audience: _, ...noAudience } = valid
    for (const config of [
      { ...noAudience, tokens: { validateAccessToken: true } },
      { ...noAudience, validateAccessToken: true },
    ]) {
      expect(() => resolveConfig(config)).toThrow(/needs "audience"/)
    }
  })

  it('logout.backchannel needs an adapter with an index', () => {
    const kvLike = { get: async () => null, set: async () => {}, delete: async () => {} }
    expect(refusal({ adapter: kvLike, logout: { backchannel: true } }).option).toBe(
      'logout.backchannel',
    )
    expect(resolveConfig({ ...valid, logout: { backchannel: true } }).logout.backchannel).toBe(true)
  })

  it.each(['session', 'cookie', 'tokens', 'logout', 'hooks', 'csrf', 'routes'])(
    'a %s that is not an object is refused',
    (name) => {
      expect(refusal({ [name]: 'yes' } as Partial<BezzieConfig>).option).toBe(name)
    },
  )
})

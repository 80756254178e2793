import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from './adapters/memory.ts'
import { type BezzieConfig, resolveConfig } from './config.ts'
import { ConfigError } from './errors.ts'

const valid: BezzieConfig = {
  issuer: 'https://idp.example.com',
  clientId: 'client',
  clientSecret: 'secret',
  adapter: new MemoryAdapter(),
  baseUrl: 'https://app.example.com',
}

function optionOf(config: Partial<BezzieConfig>): string | undefined {
  try {
    resolveConfig({ ...valid, ...config } as BezzieConfig)
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    return (e as ConfigError).option
  }
  return undefined
}

describe('resolveConfig', () => {
  it('applies documented defaults', () => {
    const c = resolveConfig(valid)
    expect(c.cookie.fullName).toBe('__Host-session')
    expect(c.session.idleTtlSeconds).toBe(86_400)
    expect(c.session.absoluteTtlSeconds).toBe(604_800)
    expect(c.tokens.refreshBufferSeconds).toBe(60)
    expect(c.redirectUri).toBe('https://app.example.com/auth/callback')
    expect(c.defaultReturnTo).toBe('/')
    expect(c.insecureIssuer).toBe(false)
    expect(c.logout.idTokenHint).toBe(true)
  })

  it('rejects a non-numeric authorizationParams.max_age, naming the option', () => {
    expect(optionOf({ authorizationParams: { max_age: 'an hour' } })).toBe(
      'authorizationParams.max_age',
    )
    expect(optionOf({ authorizationParams: { max_age: '3600' } })).toBeUndefined()
  })

  it('rejects a non-boolean logout.idTokenHint, naming the option', () => {
    expect(optionOf({ logout: { idTokenHint: 'no' as unknown as boolean } })).toBe(
      'logout.idTokenHint',
    )
    expect(resolveConfig({ ...valid, logout: { idTokenHint: false } }).logout.idTokenHint).toBe(
      false,
    )
  })

  it('allows plain http only for loopback issuers', () => {
    expect(resolveConfig({ ...valid, issuer: 'http://localhost:4010' }).insecureIssuer).toBe(true)
    expect(resolveConfig({ ...valid, issuer: 'http://127.0.0.1:4010' }).insecureIssuer).toBe(true)
    expect(optionOf({ issuer: 'http://idp.example.com' })).toBe('issuer')
  })

  it.each([
    [{ issuer: 'not a url' }, 'issuer'],
    [{ clientId: '' }, 'clientId'],
    [{ adapter: {} as never }, 'adapter'],
    [{ baseUrl: 'https://app.example.com/sub' }, 'baseUrl'],
    [{ baseUrl: 'app.example.com' }, 'baseUrl'],
    [{ sessionTtlSeconds: 30 }, 'sessionTtlSeconds'],
    [{ sessionTtlSeconds: 1.5 }, 'sessionTtlSeconds'],
    [{ absoluteSessionTtlSeconds: 120, sessionTtlSeconds: 600 }, 'absoluteSessionTtlSeconds'],
    [{ refreshBufferSeconds: -1 }, 'refreshBufferSeconds'],
    [{ absoluteSessionTtlSeconds: 401 * 86_400 }, 'absoluteSessionTtlSeconds'],
    [{ secret: 'short' }, 'secret'],
    [{ scopes: ['profile'] }, 'scopes'],
    [{ cookieName: 'bad name;' }, 'cookieName'],
    [{ routes: { login: 'login' } }, 'routes.login'],
    [{ csrf: { requireHeader: 'X CSRF' } }, 'csrf.requireHeader'],
    [{ onLogin: 'nope' as never }, 'onLogin'],
  ])('names the bad option in %j', (config, option) => {
    expect(optionOf(config as Partial<BezzieConfig>)).toBe(option)
  })

  it.each(['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)'])(
    'open redirect: rejects defaultReturnTo %s at configuration time',
    (defaultReturnTo) => {
      expect(optionOf({ defaultReturnTo })).toBe('defaultReturnTo')
    },
  )

  it('keeps or adds the __Host- prefix, and drops it without secure cookies', () => {
    expect(resolveConfig({ ...valid, cookieName: 'sid' }).cookie.fullName).toBe('__Host-sid')
    expect(resolveConfig({ ...valid, cookieName: '__Host-sid' }).cookie.fullName).toBe('__Host-sid')
    const insecure = resolveConfig({ ...valid, secureCookies: false })
    expect(insecure.cookie).toMatchObject({ fullName: 'session', secure: false })
  })
})

import { Hono } from 'hono'
import { beforeEach, describe, expect, it } from 'vitest'
import { MemoryAdapter } from './adapters/memory.ts'
import { createBezzie } from './create-bezzie.ts'
import { ConfigError } from './errors.ts'
import { clearDiscoveryCache, primeDiscovery } from './oidc/discovery.ts'
import { type ProviderPreset, providers } from './providers.ts'

const BASE = 'https://app.example.com'

/** Discovery metadata as the IdP would publish it (no network in this test). */
function prime(preset: ProviderPreset, endSession?: string) {
  const issuer = preset.issuer
  const root = issuer.replace(/\/$/, '')
  primeDiscovery({
    issuer,
    authorization_endpoint: `${root}/authorize`,
    token_endpoint: `${root}/token`,
    jwks_uri: `${root}/jwks`,
    ...(endSession ? { end_session_endpoint: endSession } : {}),
  })
}

async function urls(preset: ProviderPreset, extra: Record<string, unknown> = {}, logoutQuery = '') {
  const auth = createBezzie({
    ...preset,
    clientId: 'cid',
    clientSecret: 'secret',
    adapter: new MemoryAdapter(),
    baseUrl: BASE,
    ...extra,
  })
  const app = new Hono()
  app.route('/auth', auth.routes())
  const login = await app.request(`${BASE}/auth/login`)
  const { cookie } = await auth.sessions.create({
    user: { sub: 'u1' },
    tokens: { accessToken: 'at', idToken: 'idt', expiresAt: Math.floor(Date.now() / 1000) + 600 },
  })
  const logout = await app.request(`${BASE}/auth/logout${logoutQuery}`, {
    method: 'POST',
    headers: { cookie, origin: BASE, 'sec-fetch-site': 'same-origin' },
  })
  expect(login.status).toBe(302)
  expect(logout.status).toBe(303)
  return {
    login: new URL(login.headers.get('location') as string),
    logout: new URL(logout.headers.get('location') as string),
  }
}

describe('providers', () => {
  beforeEach(() => clearDiscoveryCache())

  it('auth0: audience parameter, offline_access, /v2/logout?returnTo', async () => {
    const preset = providers.auth0('tenant.auth0.com')
    expect(preset.issuer).toBe('https://tenant.auth0.com/')
    prime(preset)
    const { login, logout } = await urls(preset, { audience: 'https://api.example.com' })
    expect(login.origin + login.pathname).toBe('https://tenant.auth0.com/authorize')
    expect(login.searchParams.get('audience')).toBe('https://api.example.com')
    expect(login.searchParams.get('scope')).toContain('offline_access')
    expect(logout.origin + logout.pathname).toBe('https://tenant.auth0.com/v2/logout')
    expect(logout.searchParams.get('client_id')).toBe('cid')
    expect(logout.searchParams.get('returnTo')).toBe(`${BASE}/`)
  })

  it('okta: custom and org authorization servers, /v1/logout', async () => {
    const custom = providers.okta('dev-1.okta.com', 'default')
    expect(custom.issuer).toBe('https://dev-1.okta.com/oauth2/default')
    prime(custom)
    const { logout } = await urls(custom)
    expect(logout.href.startsWith('https://dev-1.okta.com/oauth2/default/v1/logout?')).toBe(true)
    expect(logout.searchParams.get('id_token_hint')).toBe('idt')
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/`)
    const org = providers.okta('dev-1.okta.com')
    expect(org.issuer).toBe('https://dev-1.okta.com')
    prime(org)
    expect((await urls(org)).logout.pathname).toBe('/oauth2/v1/logout')
  })

  it('keycloak: realm issuer and openid-connect logout', async () => {
    const preset = providers.keycloak('https://sso.example.com/', 'acme')
    expect(preset.issuer).toBe('https://sso.example.com/realms/acme')
    prime(preset)
    const { login, logout } = await urls(preset)
    expect(login.pathname).toBe('/realms/acme/authorize')
    expect(logout.pathname).toBe('/realms/acme/protocol/openid-connect/logout')
    expect(logout.searchParams.get('client_id')).toBe('cid')
    expect(logout.searchParams.get('id_token_hint')).toBe('idt')
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/`)
  })

  it('google: no offline_access scope; access_type=offline and prompt=consent; logout to baseUrl', async () => {
    const preset = providers.google()
    prime(preset)
    const { login, logout } = await urls(preset)
    expect(login.searchParams.get('scope')).not.toContain('offline_access')
    expect(login.searchParams.get('access_type')).toBe('offline')
    expect(login.searchParams.get('prompt')).toBe('consent')
    expect(logout.href).toBe(`${BASE}/`)
  })

  it('entra: tenant v2.0 issuer and logout', async () => {
    const preset = providers.entra('contoso.onmicrosoft.com')
    expect(preset.issuer).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0')
    prime(preset)
    const { logout } = await urls(preset)
    expect(logout.pathname).toBe('/contoso.onmicrosoft.com/oauth2/v2.0/logout')
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/`)
    expect(logout.searchParams.get('id_token_hint')).toBe('idt')
    expect(logout.searchParams.get('client_id')).toBe('cid')
    expect(() => providers.entra('common')).toThrow(ConfigError)
  })

  it('cognito: user pool issuer, hosted UI /logout?logout_uri', async () => {
    const preset = providers.cognito({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Abc123',
      domain: 'auth.example.com',
    })
    expect(preset.issuer).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123')
    prime(preset)
    const { logout } = await urls(preset)
    expect(logout.origin + logout.pathname).toBe('https://auth.example.com/logout')
    expect(logout.searchParams.get('logout_uri')).toBe(`${BASE}/`)
    expect(logout.searchParams.get('client_id')).toBe('cid')
  })

  it('oidc: end_session_endpoint from discovery with id_token_hint, resource indicator', async () => {
    const preset = providers.oidc('https://op.example.com')
    prime(preset, 'https://op.example.com/session/end')
    const { login, logout } = await urls(preset, { audience: 'https://api.example.com' })
    expect(login.searchParams.get('resource')).toBe('https://api.example.com')
    expect(logout.origin + logout.pathname).toBe('https://op.example.com/session/end')
    expect(logout.searchParams.get('id_token_hint')).toBe('idt')
    expect(logout.searchParams.get('client_id')).toBe('cid')
  })

  it('providerOverrides.logoutUrl wins over the preset', async () => {
    const preset = providers.auth0('tenant.auth0.com')
    prime(preset)
    const { logout } = await urls(preset, {
      providerOverrides: { logoutUrl: 'https://elsewhere.example.com/bye' },
    })
    expect(logout.href).toBe('https://elsewhere.example.com/bye')
  })

  it('without an end_session_endpoint, logout lands on baseUrl', async () => {
    const preset = providers.oidc('https://plain.example.com')
    prime(preset)
    expect((await urls(preset)).logout.href).toBe(`${BASE}/`)
  })

  const cognito = () =>
    providers.cognito({ region: 'eu-west-1', userPoolId: 'p_1', domain: 'auth.example.com' })
  const endSession = 'https://op.example.com/session/end'
  /** Each preset, and the logout URL parameter that carries the post-logout landing page. */
  const presets: [string, () => ProviderPreset, string | null][] = [
    ['auth0', () => providers.auth0('tenant.auth0.com'), 'returnTo'],
    ['okta', () => providers.okta('dev-1.okta.com', 'default'), 'post_logout_redirect_uri'],
    [
      'keycloak',
      () => providers.keycloak('https://sso.example.com', 'acme'),
      'post_logout_redirect_uri',
    ],
    ['entra', () => providers.entra('contoso.onmicrosoft.com'), 'post_logout_redirect_uri'],
    ['cognito', cognito, 'logout_uri'],
    [
      'oidc (end_session_endpoint)',
      () => providers.oidc('https://op.example.com'),
      'post_logout_redirect_uri',
    ],
    ['google (no IdP logout)', () => providers.google(), null],
  ]

  it.each(presets)(
    '%s: login URL is the discovered authorization endpoint with PKCE, state and nonce',
    async (_, make) => {
      const preset = make()
      prime(preset, endSession)
      const { login } = await urls(preset)
      expect(login.origin + login.pathname).toBe(`${preset.issuer.replace(/\/$/, '')}/authorize`)
      expect(login.searchParams.get('client_id')).toBe('cid')
      expect(login.searchParams.get('redirect_uri')).toBe(`${BASE}/auth/callback`)
      expect(login.searchParams.get('response_type')).toBe('code')
      expect(login.searchParams.get('code_challenge_method')).toBe('S256')
      expect(login.searchParams.get('state')).toBeTruthy()
      expect(login.searchParams.get('nonce')).toBeTruthy()
      expect(login.searchParams.get('scope')?.split(' ')).toEqual(preset.scopes)
    },
  )

  it.each(presets)(
    '%s: POST /logout?returnTo=/path lands on baseUrl + path',
    async (_, make, param) => {
      const preset = make()
      prime(preset, endSession)
      const { logout } = await urls(preset, {}, '?returnTo=%2Fgoodbye%3Fsee%3Dyou')
      const landing = param ? logout.searchParams.get(param) : logout.href
      expect(landing).toBe(`${BASE}/goodbye?see=you`)
    },
  )

  it.each(presets)(
    '%s: open redirect through logout returnTo falls back to baseUrl',
    async (_, make, param) => {
      const preset = make()
      prime(preset, endSession)
      for (const bad of [
        'https://evil.com/',
        '//evil.com',
        '/\\evil.com',
        '/%2F%2Fevil.com',
        'javascript:alert(1)',
      ]) {
        const { logout } = await urls(preset, {}, `?returnTo=${encodeURIComponent(bad)}`)
        const landing = param ? logout.searchParams.get(param) : logout.href
        expect(landing).toBe(`${BASE}/`)
      }
    },
  )

  it.each(
    presets.filter(([name]) => !['auth0', 'cognito', 'google (no IdP logout)'].includes(name)),
  )(
    '%s: logout: { idTokenHint: false } keeps the ID token out of the logout URL, client_id stays',
    async (_, make) => {
      const preset = make()
      prime(preset, endSession)
      const { logout } = await urls(preset, { logout: { idTokenHint: false } })
      expect(logout.searchParams.has('id_token_hint')).toBe(false)
      expect(logout.href).not.toContain('idt')
      expect(logout.searchParams.get('client_id')).toBe('cid')
      expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${BASE}/`)
    },
  )
})

import { describe, expect, it, vi } from 'vitest'
import { login, loginUrl } from '../src/login.ts'

describe('login', () => {
  it('navigates to the login route with returnTo', () => {
    const navigate = vi.fn()
    login({ returnTo: '/dashboard?tab=1', navigate })
    expect(navigate).toHaveBeenCalledWith('/auth/login?returnTo=%2Fdashboard%3Ftab%3D1')
  })

  it('forwards every authorization parameter that is set, and only those', () => {
    const url = new URL(
      loginUrl({
        basePath: '/bff/auth/',
        returnTo: '/',
        prompt: 'login',
        login_hint: 'alice@example.com',
        screen_hint: 'signup',
        ui_locales: 'fr-CA fr',
        max_age: 0,
        acr_values: 'urn:mace:incommon:iap:silver',
        organization: 'org_1',
        invitation: 'inv_1',
      }),
      'http://localhost',
    )
    expect(url.pathname).toBe('/bff/auth/login')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      returnTo: '/',
      prompt: 'login',
      login_hint: 'alice@example.com',
      screen_hint: 'signup',
      ui_locales: 'fr-CA fr',
      max_age: '0',
      acr_values: 'urn:mace:incommon:iap:silver',
      organization: 'org_1',
      invitation: 'inv_1',
    })
  })

  it('drops parameters outside the allow-list (redirect_uri injection)', () => {
    const options = { returnTo: '/', redirect_uri: 'https://evil.example' }
    expect(loginUrl(options)).toBe('/auth/login?returnTo=%2F')
  })

  it('has a bare URL without options', () => {
    expect(loginUrl()).toBe('/auth/login')
  })
})

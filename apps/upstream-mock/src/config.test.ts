import { describe, expect, it } from 'vitest'
import { readConfig } from './config.ts'

describe('readConfig', () => {
  it('keeps the issuer verbatim, trailing slash included', () => {
    const config = readConfig({ ISSUER: 'https://tenant.auth0.com/', AUDIENCE: 'https://api' })
    expect(config).toEqual({
      issuer: 'https://tenant.auth0.com/',
      audience: 'https://api',
      billingAudience: 'https://billing.bezzie.local',
    })
  })

  it('refuses a BILLING_AUDIENCE equal to AUDIENCE, naming both', () => {
    expect(() =>
      readConfig({ ISSUER: 'https://idp', AUDIENCE: 'https://a', BILLING_AUDIENCE: 'https://a' }),
    ).toThrow(/BILLING_AUDIENCE must differ from AUDIENCE/)
  })

  it('names ISSUER when it is missing', () => {
    expect(() => readConfig({ AUDIENCE: 'https://api' })).toThrow(/ISSUER is not set/)
  })

  it('names ISSUER when it is not an http(s) URL', () => {
    expect(() => readConfig({ ISSUER: 'localhost:4010', AUDIENCE: 'x' })).toThrow(/ISSUER/)
    expect(() => readConfig({ ISSUER: 'ftp://idp', AUDIENCE: 'x' })).toThrow(
      /ISSUER must be an http/,
    )
    expect(() => readConfig({ ISSUER: 'https://idp?x=1', AUDIENCE: 'x' })).toThrow(/query/)
  })

  it('names AUDIENCE when it is empty', () => {
    expect(() => readConfig({ ISSUER: 'https://idp', AUDIENCE: ' ' })).toThrow(
      /AUDIENCE is not set/,
    )
  })
})

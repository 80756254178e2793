import { describe, expect, it } from 'vitest'
import { displayName, firstName } from './first-name.ts'

describe('firstName', () => {
  it('prefers given_name', () => {
    expect(firstName({ sub: 's', given_name: 'Alice', name: 'Ally Liddell' })).toBe('Alice')
  })

  it('falls back to the first word of name, then preferred_username, then the email local part', () => {
    expect(firstName({ sub: 's', name: '  Bob   Marley ' })).toBe('Bob')
    expect(firstName({ sub: 's', preferred_username: 'carol' })).toBe('carol')
    expect(firstName({ sub: 's', email: 'dave@example.com' })).toBe('dave')
  })

  it('is null when no name claim is present', () => {
    expect(firstName({ sub: 's', given_name: ' ' })).toBeNull()
  })
})

describe('displayName', () => {
  it('uses the full name, else the first name, else sub', () => {
    expect(displayName({ sub: 's', name: 'Alice Liddell', given_name: 'Alice' })).toBe(
      'Alice Liddell',
    )
    expect(displayName({ sub: 's', email: 'erin@example.com' })).toBe('erin')
    expect(displayName({ sub: 'auth0|123' })).toBe('auth0|123')
  })
})

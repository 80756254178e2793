import { describe, expect, it } from 'vitest'
import { bearerToken } from './require-bearer.ts'

describe('bearerToken', () => {
  it('extracts the token, scheme case-insensitive', () => {
    expect(bearerToken('Bearer abc.def-ghi_')).toBe('abc.def-ghi_')
    expect(bearerToken('bearer abc')).toBe('abc')
  })

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearer a,b'])(
    'finds no bearer token in %j',
    (header) => {
      expect(bearerToken(header)).toBeUndefined()
    },
  )
})

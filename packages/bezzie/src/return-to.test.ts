import { describe, expect, it } from 'vitest'
import { safeReturnTo } from './return-to.ts'

describe('safeReturnTo', () => {
  it.each(['/', '/dashboard', '/a/b?x=1&y=%20z#frag', '/path%3Fwith-encoded'])(
    'accepts the relative path %s',
    (value) => {
      expect(safeReturnTo(value)).toBe(value)
    },
  )

  it.each([
    ['an absolute URL', 'https://evil.example/'],
    ['a scheme-relative URL', '//evil.example/'],
    ['a backslash host', '/\\evil.example'],
    ['an encoded double slash', '/%2F%2Fevil.example'],
    ['an encoded backslash', '/%5Cevil.example'],
    ['a double-encoded slash', '/%252F%252Fevil.example'],
    ['a tab inside //', '/\t/evil.example'],
    ['a newline', '/\n/evil.example'],
    ['an encoded tab', '/%09/evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a path without a leading slash', 'dashboard'],
    ['an empty string', ''],
    ['an overlong value', `/${'a'.repeat(3000)}`],
    ['a malformed escape', '/%E0%A4%A'],
  ])('open redirect: rejects %s', (_name, value) => {
    expect(safeReturnTo(value)).toBeNull()
  })
})

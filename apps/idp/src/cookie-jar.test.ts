import { describe, expect, it } from 'vitest'
import { CookieJar } from './cookie-jar.ts'

describe('CookieJar', () => {
  it('sends a cookie only to its host and below its path', () => {
    const jar = new CookieJar()
    jar.store('http://localhost:1/interaction/abc', [
      '_interaction=1; path=/interaction/abc; httponly',
    ])
    expect(jar.header('http://localhost:1/interaction/abc')).toBe('_interaction=1')
    expect(jar.header('http://localhost:1/interaction/abc/login')).toBe('_interaction=1')
    expect(jar.header('http://localhost:1/interaction/abcdef')).toBe('')
    expect(jar.header('http://localhost:2/interaction/abc')).toBe('')
  })

  it('replaces a cookie and deletes it on an expired Set-Cookie', () => {
    const jar = new CookieJar()
    jar.store('http://localhost:1/', ['_session=a; path=/'])
    jar.store('http://localhost:1/', ['_session=b; path=/'])
    expect(jar.header('http://localhost:1/x')).toBe('_session=b')
    jar.store('http://localhost:1/', ['_session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT'])
    expect(jar.header('http://localhost:1/x')).toBe('')
  })
})

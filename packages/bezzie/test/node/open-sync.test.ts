import { describe, expect, it } from 'vitest'
import { open, seal } from '../../src/session/crypto.ts'
import { openSync } from '../../src/session/open-sync.ts'

const A = 'a'.repeat(32)
const B = 'b'.repeat(32)

// On Node, session records are decrypted on the request's thread (node:crypto) instead of through
// Web Crypto's thread pool; it must agree with `open` on everything `open` accepts or refuses.
describe('openSync (Node)', () => {
  it('runs synchronously on Node and opens what seal (Web Crypto) sealed', async () => {
    for (const text of [
      '',
      'x',
      'secret tokens',
      'ünïcödé ✓ 🔑'.repeat(50),
      '{"v":1}'.repeat(400),
    ]) {
      const sealed = await seal([A], 'session', text, 'key1')
      expect(openSync([A], 'session', sealed, 'key1')).toBe(text)
      expect(openSync([A], 'session', sealed, 'key1')).toBe(
        await open([A], 'session', sealed, 'key1'),
      )
    }
  })

  it('record swapping: a value sealed for one key does not open under another', async () => {
    const sealed = await seal([A], 'session', 'x', 'key1')
    expect(openSync([A], 'session', sealed, 'key2')).toBeNull()
  })

  it('tampering: every modified character of the ciphertext or IV is refused', async () => {
    const sealed = await seal([A], 'session', 'hello world', 'k')
    const start = sealed.indexOf('.', 3) + 1
    for (let i = start; i < sealed.length; i++) {
      if (sealed[i] === '.') continue
      const flipped = `${sealed.slice(0, i)}${sealed[i] === 'A' ? 'B' : 'A'}${sealed.slice(i + 1)}`
      const expected = await open([A], 'session', flipped, 'k')
      expect(openSync([A], 'session', flipped, 'k')).toBe(expected)
    }
  })

  it('rotation: values sealed with an old secret open while it is still listed', async () => {
    const old = await seal([A], 'session', 'v', 'k')
    expect(openSync([B, A], 'session', old, 'k')).toBe('v')
    expect(openSync([B], 'session', old, 'k')).toBeNull()
  })

  it('separates purposes and refuses what is not a sealed value', async () => {
    const sealed = await seal([A], 'transaction', 'v', 'k')
    expect(openSync([A], 'session', sealed, 'k')).toBeNull()
    for (const junk of ['', 'v1', 'v2.a.b.c', 'v1.a.b', 'v1.x.y.z', '{"v":1}', `${sealed}.`]) {
      expect(openSync([A], 'session', junk, 'k')).toBe(await open([A], 'session', junk, 'k'))
    }
  })
})

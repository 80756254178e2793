import { describe, expect, it } from 'vitest'
import { open, seal } from './crypto.ts'

const A = 'a'.repeat(32)
const B = 'b'.repeat(32)

describe('seal/open', () => {
  it('round-trips and hides the plaintext', async () => {
    const sealed = await seal([A], 'session', 'secret tokens', 'key1')
    expect(sealed).not.toContain('secret')
    expect(await open([A], 'session', sealed, 'key1')).toBe('secret tokens')
  })

  it('record swapping: a value sealed for one key does not open under another', async () => {
    const sealed = await seal([A], 'session', 'x', 'key1')
    expect(await open([A], 'session', sealed, 'key2')).toBeNull()
  })

  it('tampering: a modified ciphertext does not open', async () => {
    const sealed = await seal([A], 'session', 'hello', 'k')
    // The second-to-last character carries ciphertext bits only (the last one may hold padding
    // bits), and its replacement is chosen from the character itself so it always differs.
    const at = sealed.length - 2
    const flipped = `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`
    expect(flipped).not.toBe(sealed)
    expect(await open([A], 'session', flipped, 'k')).toBeNull()
  })

  it('rotates: values sealed with an old secret open while it is still listed', async () => {
    const old = await seal([A], 'session', 'v', 'k')
    expect(await open([B, A], 'session', old, 'k')).toBe('v')
    expect(await open([B], 'session', old, 'k')).toBeNull()
  })

  it('separates purposes: a transaction cookie is not a session record', async () => {
    const sealed = await seal([A], 'transaction', 'v', 'k')
    expect(await open([A], 'session', sealed, 'k')).toBeNull()
  })
})

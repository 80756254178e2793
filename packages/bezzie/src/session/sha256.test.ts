import { describe, expect, it } from 'vitest'
import { b64u, fromB64u, utf8 } from './encoding.ts'
import { sha256 } from './id.ts'
import { sessionKey } from './keys.ts'
import { sha256Ascii, sha256Bytes } from './sha256.ts'

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
const subtle = async (b: Uint8Array<ArrayBuffer>) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', b))

describe('sha256Bytes', () => {
  // FIPS 180-4 example messages (NIST CSRC "Examples with intermediate values").
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
  ])('FIPS 180-4 vector %j', (message, digest) => {
    expect(hex(sha256Bytes(utf8(message)))).toBe(digest)
  })

  it('one million "a" (the long FIPS 180-4 vector)', () => {
    expect(hex(sha256Bytes(new Uint8Array(1_000_000).fill(0x61)))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    )
  })

  it('agrees with crypto.subtle.digest for every length 0–300 across the padding boundaries', async () => {
    for (let length = 0; length <= 300; length++) {
      const data = crypto.getRandomValues(new Uint8Array(length))
      expect(hex(sha256Bytes(data)), `length ${length}`).toBe(hex(await subtle(data)))
    }
  })

  it('short messages share scratch space: no byte of one message leaks into the next', async () => {
    // Longest first, then every shorter length, ASCII and bytes interleaved: a stale byte left in
    // the shared block by the previous message would change the digest.
    for (let length = 130; length >= 0; length--) {
      const text = String.fromCharCode(...Array.from({ length }, (_, i) => 33 + ((i * 7) % 90)))
      expect(b64u(sha256Ascii(text) as Uint8Array), `ascii ${length}`).toBe(
        b64u(await subtle(utf8(text))),
      )
      const bytes = new Uint8Array(length).fill(0xff)
      expect(hex(sha256Bytes(bytes)), `bytes ${length}`).toBe(hex(await subtle(bytes)))
    }
  })

  it('agrees with crypto.subtle.digest on session ids and non-ASCII text', async () => {
    for (let i = 0; i < 200; i++) {
      const id = b64u(crypto.getRandomValues(new Uint8Array(32)))
      expect(sha256(id)).toBe(b64u(await subtle(utf8(id))))
    }
    const text = 'kid:session:ünïcödé ✓ 🔑'
    expect(sha256(text)).toBe(b64u(await subtle(utf8(text))))
  })

  it('session keys did not change: the same id maps to the same store key as before', async () => {
    const id = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
    expect(sessionKey(id)).toBe(`bezzie:s:${b64u(await subtle(utf8(id)))}`)
  })
})

describe('base64url', () => {
  const reference = (b: Uint8Array) =>
    btoa(String.fromCharCode(...b))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')

  it('encodes like btoa with the URL alphabet and no padding, and decodes back, for every length 0–100', () => {
    for (let length = 0; length <= 100; length++) {
      const data = crypto.getRandomValues(new Uint8Array(length))
      const encoded = b64u(data)
      expect(encoded).toBe(reference(data))
      expect(Array.from(fromB64u(encoded))).toEqual(Array.from(data))
    }
  })

  it('rejects what is not base64url', () => {
    for (const bad of ['a+b=', 'ab/c', 'abc=', 'a', 'abcde', 'ab c', 'é']) {
      expect(() => fromB64u(bad), bad).toThrow(TypeError)
    }
  })
})

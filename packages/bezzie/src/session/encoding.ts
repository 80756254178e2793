const encoder = new TextEncoder()
const decoder = new TextDecoder()

export const utf8 = (s: string): Uint8Array<ArrayBuffer> =>
  encoder.encode(s) as Uint8Array<ArrayBuffer>
export const fromUtf8 = (b: Uint8Array): string => decoder.decode(b)

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

// Every 12-bit value as its two base64url characters: three bytes become two lookups, with no
// per-character string building, btoa round trip or `+/=` replacements.
const PAIRS: string[] = []
for (let i = 0; i < 4096; i++) PAIRS.push(`${ALPHABET[i >> 6]}${ALPHABET[i & 63]}`)

/** base64url without padding. */
export function b64u(bytes: Uint8Array): string {
  let out = ''
  const whole = bytes.length - (bytes.length % 3)
  for (let i = 0; i < whole; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out += (PAIRS[n >>> 12] as string) + (PAIRS[n & 4095] as string)
  }
  const rest = bytes.length - whole
  if (rest === 1) {
    const n = bytes[whole] as number
    out += PAIRS[n << 4] as string
  } else if (rest === 2) {
    const n = ((bytes[whole] as number) << 10) | ((bytes[whole + 1] as number) << 2)
    out += (PAIRS[n >>> 6] as string) + ALPHABET[n & 63]
  }
  return out
}

type NativeDecoder = (text: string, options: object) => Uint8Array<ArrayBuffer>
// Native decoders where the runtime has one (a session record is about 2.7 KB of base64url, which a
// JavaScript loop takes tens of microseconds to decode): `Uint8Array.fromBase64` (newer V8, as in
// workerd), else Node's `Buffer`; `atob` otherwise.
const fromBase64 = (Uint8Array as unknown as { fromBase64?: NativeDecoder }).fromBase64
const NodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: string): Uint8Array } })
  .Buffer

/** Decodes base64url (no padding); throws on anything that is not. */
export function fromB64u(s: string): Uint8Array<ArrayBuffer> {
  const bad = () => new TypeError('not base64url')
  if (s.length % 4 === 1) throw bad()
  let out: Uint8Array<ArrayBuffer>
  if (fromBase64) {
    try {
      out = fromBase64(s, { alphabet: 'base64url', lastChunkHandling: 'loose' })
    } catch {
      throw bad()
    }
  } else if (NodeBuffer) {
    // Buffer decodes the standard alphabet's `+` and `/` too.
    if (s.includes('+') || s.includes('/')) throw bad()
    const b = NodeBuffer.from(s, 'base64url')
    out = new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.length)
  } else {
    if (!/^[\w-]*$/.test(s)) throw bad()
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'))
    out = new Uint8Array(bin.length)
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  }
  // The native decoders skip whitespace (Buffer any character it does not know) and accept `=`:
  // only when every character counted is the length exact. Cheaper than a pattern over the text.
  if (out.length !== Math.floor((s.length * 3) / 4)) throw bad()
  return out
}

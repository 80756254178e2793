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

// Character code → 6-bit value, 255 for anything outside the base64url alphabet.
const VALUES = new Uint8Array(128).fill(255)
for (let i = 0; i < 64; i++) VALUES[ALPHABET.charCodeAt(i)] = i

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

/** Decodes base64url (no padding); throws on anything that is not. */
export function fromB64u(s: string): Uint8Array<ArrayBuffer> {
  const length = s.length
  if (length % 4 === 1) throw new TypeError('not base64url')
  const out = new Uint8Array(Math.floor((length * 3) / 4))
  let bits = 0
  let buffer = 0
  let j = 0
  for (let i = 0; i < length; i++) {
    const code = s.charCodeAt(i)
    const v = code < 128 ? (VALUES[code] as number) : 255
    if (v === 255) throw new TypeError('not base64url')
    buffer = (buffer << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[j++] = buffer >>> bits
      buffer &= (1 << bits) - 1
    }
  }
  return out
}

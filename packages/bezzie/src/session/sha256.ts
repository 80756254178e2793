/**
 * SHA-256 (FIPS 180-4) in plain JavaScript, synchronous.
 *
 * Why not `crypto.subtle.digest`: it is asynchronous, and Node runs it on libuv's thread pool, so
 * hashing a 43-byte session id on every request cost a thread hand-off (two context switches)
 * that took longer than the rest of the request. The inputs hashed here are short (one or two
 * 64-byte blocks), where this loop takes about a microsecond on the request's own thread.
 * Checked against `crypto.subtle.digest` in sha256.test.ts.
 *
 * @see https://nvlpubs.nist.gov/nistpubs/FIPS/NIST.FIPS.180-4.pdf
 */

// The round constants and initial hash value are the first 32 bits of the fractional parts of the
// cube roots of the first 64 primes and of the square roots of the first 8 (FIPS 180-4 §4.2.2,
// §5.3.3), computed here rather than spelled out: the test vectors pin every one of them.
const K = new Int32Array(64)
const INITIAL = new Int32Array(8)
for (let p = 2, n = 0; n < 64; p++) {
  let prime = true
  for (let d = 2; d * d <= p; d++) if (p % d === 0) prime = false
  if (!prime) continue
  if (n < 8) INITIAL[n] = ((Math.sqrt(p) % 1) * 2 ** 32) | 0
  K[n++] = ((Math.cbrt(p) % 1) * 2 ** 32) | 0
}

// Scratch space reused by every call: hashing is synchronous, so calls never interleave.
const W = new Int32Array(64)
const H = new Int32Array(8)

function compress(block: Uint8Array, offset: number): void {
  for (let t = 0; t < 16; t++) {
    const i = offset + t * 4
    W[t] =
      ((block[i] as number) << 24) |
      ((block[i + 1] as number) << 16) |
      ((block[i + 2] as number) << 8) |
      (block[i + 3] as number)
  }
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15] as number
    const w2 = W[t - 2] as number
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10)
    W[t] = ((W[t - 16] as number) + s0 + (W[t - 7] as number) + s1) | 0
  }
  let a = H[0] as number
  let b = H[1] as number
  let c = H[2] as number
  let d = H[3] as number
  let e = H[4] as number
  let f = H[5] as number
  let g = H[6] as number
  let h = H[7] as number
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
    const ch = (e & f) ^ (~e & g)
    const t1 = (h + S1 + ch + (K[t] as number) + (W[t] as number)) | 0
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
    const maj = (a & b) ^ (a & c) ^ (b & c)
    const t2 = (S0 + maj) | 0
    h = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  H[0] = ((H[0] as number) + a) | 0
  H[1] = ((H[1] as number) + b) | 0
  H[2] = ((H[2] as number) + c) | 0
  H[3] = ((H[3] as number) + d) | 0
  H[4] = ((H[4] as number) + e) | 0
  H[5] = ((H[5] as number) + f) | 0
  H[6] = ((H[6] as number) + g) | 0
  H[7] = ((H[7] as number) + h) | 0
}

// Two blocks of scratch for short messages (up to 119 bytes: session ids, store keys), so hashing
// one allocates nothing but its 32-byte result.
const SCRATCH = new Uint8Array(128)

/**
 * A zeroed message buffer for `length` bytes with SHA-256's padding and length already in place,
 * and how many of its bytes to hash. Short messages use the shared scratch space (hashing is
 * synchronous, so it is never in use twice at once).
 */
function padFor(length: number): { padded: Uint8Array; end: number } {
  // Message, the 0x80 marker, zero padding, and the 64-bit big-endian bit length.
  const end = (((length + 8) >>> 6) + 1) * 64
  let padded: Uint8Array
  if (end <= SCRATCH.length) {
    padded = SCRATCH
    padded.fill(0, 0, end)
  } else {
    padded = new Uint8Array(end)
  }
  padded[length] = 0x80
  const bitsHigh = Math.floor(length / 0x20000000)
  const bitsLow = (length << 3) >>> 0
  for (let i = 0; i < 4; i++) {
    padded[end - 8 + i] = bitsHigh >>> (24 - 8 * i)
    padded[end - 4 + i] = bitsLow >>> (24 - 8 * i)
  }
  return { padded, end }
}

function digest({ padded, end }: { padded: Uint8Array; end: number }): Uint8Array<ArrayBuffer> {
  H.set(INITIAL)
  for (let offset = 0; offset < end; offset += 64) compress(padded, offset)
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = (H[i >> 2] as number) >>> (24 - 8 * (i & 3))
  return out
}

/** The SHA-256 digest (32 bytes) of `data`. */
export function sha256Bytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const message = padFor(data.length)
  message.padded.set(data)
  return digest(message)
}

/**
 * The SHA-256 digest of `text` when it is ASCII (a session id always is), written straight into
 * the message block without a UTF-8 encoder; `undefined` for any other text.
 */
export function sha256Ascii(text: string): Uint8Array<ArrayBuffer> | undefined {
  const message = padFor(text.length)
  const { padded } = message
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code > 127) return undefined
    padded[i] = code
  }
  return digest(message)
}

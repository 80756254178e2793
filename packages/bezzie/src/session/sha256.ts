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

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

const INITIAL = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
])

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

/** The SHA-256 digest (32 bytes) of `data`. */
export function sha256Bytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const length = data.length
  // Message, the 0x80 marker, zero padding, and the 64-bit big-endian bit length.
  const padded = new Uint8Array((((length + 8) >>> 6) + 1) * 64)
  padded.set(data)
  padded[length] = 0x80
  const end = padded.length
  const bitsHigh = Math.floor(length / 0x20000000)
  const bitsLow = (length << 3) >>> 0
  padded[end - 8] = bitsHigh >>> 24
  padded[end - 7] = bitsHigh >>> 16
  padded[end - 6] = bitsHigh >>> 8
  padded[end - 5] = bitsHigh
  padded[end - 4] = bitsLow >>> 24
  padded[end - 3] = bitsLow >>> 16
  padded[end - 2] = bitsLow >>> 8
  padded[end - 1] = bitsLow
  H.set(INITIAL)
  for (let offset = 0; offset < end; offset += 64) compress(padded, offset)
  const out = new Uint8Array(32)
  for (let i = 0; i < 8; i++) {
    const v = H[i] as number
    out[i * 4] = v >>> 24
    out[i * 4 + 1] = v >>> 16
    out[i * 4 + 2] = v >>> 8
    out[i * 4 + 3] = v
  }
  return out
}

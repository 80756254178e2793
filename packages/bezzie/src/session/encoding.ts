const encoder = new TextEncoder()
const decoder = new TextDecoder()

export const utf8 = (s: string): Uint8Array<ArrayBuffer> =>
  encoder.encode(s) as Uint8Array<ArrayBuffer>
export const fromUtf8 = (b: Uint8Array): string => decoder.decode(b)

export function b64u(bytes: Uint8Array): string {
  let bin = ''
  for (const byte of bytes) bin += String.fromCharCode(byte)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Decodes base64url; throws on anything that is not. */
export function fromB64u(s: string): Uint8Array<ArrayBuffer> {
  if (!/^[\w-]*$/.test(s)) throw new TypeError('not base64url')
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'))
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

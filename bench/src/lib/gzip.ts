import { gzipSync } from 'node:zlib'

/** Gzipped size at level 9, the level CDNs and the Workers upload limit check use for estimates. */
export function gzipSize(data: string | Uint8Array): number {
  return gzipSync(data, { level: 9 }).byteLength
}

import { readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** Where the sign-in pages load their font files from, on the IdP's own origin. */
export const FONT_PATH_PREFIX = '/assets/fonts/'

/** The Inter weights the pages use (Latin subset), self-hosted from `@fontsource/inter`. */
export const FONT_WEIGHTS = [400, 500, 600, 700] as const

const fontFile = (weight: number) => `inter-latin-${weight}-normal.woff2`
const served = new Set<string>(FONT_WEIGHTS.map(fontFile))
const filesDir = join(
  dirname(createRequire(import.meta.url).resolve('@fontsource/inter/package.json')),
  'files',
)

/** `@font-face` rules for the pages' inline style sheet. */
export const fontFaces = FONT_WEIGHTS.map(
  (weight) =>
    `@font-face{font-family:"Inter";font-style:normal;font-weight:${weight};font-display:swap;src:url(${FONT_PATH_PREFIX}${fontFile(weight)}) format("woff2")}`,
).join('')

/** True for the path of one of the served font files. */
export function isFontPath(pathname: string): boolean {
  return (
    pathname.startsWith(FONT_PATH_PREFIX) && served.has(pathname.slice(FONT_PATH_PREFIX.length))
  )
}

/** Answers a font file request (a path that {@link isFontPath} accepted). */
export async function sendFont(res: ServerResponse, pathname: string): Promise<void> {
  const body = await readFile(join(filesDir, pathname.slice(FONT_PATH_PREFIX.length)))
  res.writeHead(200, {
    'content-type': 'font/woff2',
    'cache-control': 'public, max-age=86400',
    'content-length': body.length,
  })
  res.end(body)
}

// @vitest-environment node
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const appDir = fileURLToPath(new URL('..', import.meta.url))
let outDir: string
let html: string
let css: string

/** XML namespaces (an inline SVG's `xmlns`) are identifiers, not requests. */
const NAMESPACES = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink'])

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'bezzie-web-assets-'))
  await build({
    configFile: join(appDir, 'vite.config.ts'),
    root: appDir,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  })
  html = await readFile(join(outDir, 'index.html'), 'utf8')
  const assets = await readdir(join(outDir, 'assets'))
  const stylesheets = assets.filter((file) => file.endsWith('.css'))
  css = (
    await Promise.all(stylesheets.map((file) => readFile(join(outDir, 'assets', file), 'utf8')))
  ).join('\n')
}, 300_000)

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

describe('the built site loads nothing from another origin', () => {
  it('references no external URL in its HTML or CSS (no font CDN, no analytics)', () => {
    const urls = [
      ...`${html}\n${css}`.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'()]*/gi),
    ]
      .map((match) => match[0])
      .filter((url) => !NAMESPACES.has(url))
    expect(urls).toEqual([])
  })

  it.each([
    ['Inter', [400, 500, 600, 700]],
    ['JetBrains Mono', [400]],
  ] as const)('self-hosts %s as woff2 files shipped in the build', (family, weights) => {
    const faces = [...css.matchAll(/@font-face\s*{([^}]*)}/g)]
      .map((match) => match[1] ?? '')
      .filter((face) => new RegExp(`font-family:\\s*["']?${family}["']?;`).test(face))
    for (const weight of weights) {
      const face = faces.find((f) => f.includes(`font-weight:${weight}`))
      expect(face, `${family} ${weight}`).toBeDefined()
      const woff2 = face?.match(/url\((\/assets\/[^)]+\.woff2)\)/)?.[1]
      expect(woff2, `${family} ${weight} woff2`).toBeDefined()
      expect(existsSync(join(outDir, woff2 as string))).toBe(true)
    }
  })

  it('uses the self-hosted families in the stylesheet', () => {
    expect(css).toMatch(/font-family:\s*Inter\b/)
    expect(css).toMatch(/font-family:\s*"?JetBrains Mono"?/)
  })
})

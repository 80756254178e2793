import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { exec } from '../lib/exec.ts'
import { gzipSize } from '../lib/gzip.ts'
import { fromRoot } from '../lib/paths.ts'

export interface AssetSize {
  file: string
  bytes: number
  gz: number
}

export interface WebSize {
  /** Scripts and stylesheets index.html loads up front (entry, modulepreloads, stylesheets). */
  initialJs: AssetSize[]
  initialCss: AssetSize[]
  /** Every JS file in the build, lazy chunks included. */
  allJsGz: number
  /** Font files in the build (already compressed formats; not gzipped further). */
  fontBytes: number
}

/**
 * Builds the SPA with vite into a temporary folder (so a running `vite` of someone else is left
 * alone) and reads what index.html loads before first render.
 */
export async function measureWeb(appDir: string): Promise<WebSize> {
  const cwd = fromRoot(appDir)
  const out = await mkdtemp(path.join(os.tmpdir(), 'bezzie-web-'))
  try {
    await exec(
      path.join(cwd, 'node_modules/.bin/vite'),
      ['build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd,
        timeoutMs: 120_000,
      },
    )
    const html = await readFile(path.join(out, 'index.html'), 'utf8')
    const js = new Set<string>()
    const css = new Set<string>()
    for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) js.add(m[1] as string)
    for (const m of html.matchAll(/<link[^>]*>/g)) {
      const tag = m[0]
      const href = tag.match(/\bhref="([^"]+)"/)?.[1]
      if (!href) continue
      if (/rel="modulepreload"/.test(tag)) js.add(href)
      else if (/rel="stylesheet"/.test(tag)) css.add(href)
    }
    const sizeOf = async (href: string): Promise<AssetSize> => {
      const data = await readFile(path.join(out, href.replace(/^\//, '')))
      return { file: href, bytes: data.byteLength, gz: gzipSize(data) }
    }
    let allJsGz = 0
    let fontBytes = 0
    for (const name of await readdir(out, { recursive: true })) {
      const full = path.join(out, name)
      if (name.endsWith('.js')) allJsGz += gzipSize(await readFile(full))
      else if (/\.(woff2?|ttf|otf)$/.test(name)) fontBytes += (await stat(full)).size
    }
    return {
      initialJs: await Promise.all([...js].filter((h) => !h.startsWith('http')).map(sizeOf)),
      initialCss: await Promise.all([...css].filter((h) => !h.startsWith('http')).map(sizeOf)),
      allJsGz,
      fontBytes,
    }
  } finally {
    await rm(out, { recursive: true, force: true })
  }
}

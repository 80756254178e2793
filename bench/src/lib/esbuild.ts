import { createRequire } from 'node:module'

/** The slice of esbuild's API the bench uses (size report, the bench Worker's bundle). */
export interface Esbuild {
  version: string
  build(options: {
    stdin?: { contents: string; resolveDir: string; loader: 'js' }
    entryPoints?: string[]
    outfile?: string
    bundle: true
    write: boolean
    minify?: boolean
    format: 'esm'
    platform: 'neutral' | 'browser'
    target: string
    mainFields?: string[]
    conditions?: string[]
    external?: string[]
    define?: Record<string, string>
    legalComments?: 'none'
    logLevel?: 'silent'
    metafile?: boolean
  }): Promise<{
    outputFiles?: { contents: Uint8Array; text: string }[]
    metafile?: { inputs: Record<string, { bytes: number }> }
  }>
}

/**
 * esbuild as wrangler ships it: the bench bundles with the same esbuild a Worker deploy uses, and
 * needs no copy of its own in the lockfile.
 */
export function loadEsbuild(): Esbuild {
  const fromWrangler = createRequire(
    createRequire(import.meta.url).resolve('wrangler/package.json'),
  )
  return fromWrangler('esbuild') as Esbuild
}

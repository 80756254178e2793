import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = fileURLToPath(new URL('../../src/', import.meta.url).href)

/**
 * The layers of packages/bezzie/src, lowest first (ARCHITECTURE.md explains them). A module may
 * import its own layer and the layers below, never one above: the request flow depends on the
 * session and protocol layers, never the other way round.
 */
export const LAYERS: readonly (readonly string[])[] = [
  // 0. Vocabulary: error classes, public types, the adapter interface, time.
  ['errors.ts', 'errors/', 'types.ts', 'adapter.ts', 'clock.ts', 'timeouts.ts'],
  // 1. Options and HTTP primitives: the resolved config (one resolver per option group in
  // config/, with the client key it validates), cookies, CSRF, returnTo, the error page, presets.
  [
    'config.ts',
    'config/',
    'config-memo.ts',
    'oidc/client-auth.ts',
    'cookies.ts',
    'csrf.ts',
    'return-to.ts',
    'error-page.ts',
    'providers.ts',
  ],
  // 2. Storage and protocol: sessions in the store, the OpenID Provider, the adapters, and the
  // Node fast path the Workers build leaves out (platform/).
  ['session/', 'oidc/', 'adapters/', 'backchannel/', 'platform/'],
  // 3. Per-instance services: the runtime, responses, refresh, token acquisition.
  [
    'runtime.ts',
    'respond.ts',
    'loop-breaker.ts',
    'startup-warnings.ts',
    'refresh.ts',
    'refresh/',
    'sessions.ts',
    'devices/',
    'tokens/',
  ],
  // 4. The request flow: routes, middleware, proxy, guards.
  ['routes/', 'middleware.ts', 'proxy.ts', 'proxy/', 'guards/'],
  // 5. Assembly and entry points.
  ['create-bezzie.ts', 'index.ts', 'cloudflare.ts', 'memory.ts', 'redis.ts', 'durable-object.ts'],
]

export function layerOf(file: string): number {
  return LAYERS.findIndex((layer) =>
    layer.some((entry) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry)),
  )
}

/** Relative imports (also `import type` and re-exports) of each source file, as src paths. */
export function importGraph(root = src): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  const files = readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8')
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) =>
      normalize(join(dirname(file), m[1] as string)),
    )
    graph.set(file, targets)
  }
  return graph
}

/** Most lines a source file (tests next to the sources included) may have. */
export const MAX_LINES = 250

/** Files of `root` longer than {@link MAX_LINES}, with their line counts. */
export function oversizedFiles(root = src): string[] {
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f, readFileSync(join(root, f), 'utf8').split('\n').length - 1] as const)
    .filter(([, lines]) => lines > MAX_LINES)
    .map(([f, lines]) => `${f}: ${lines} lines (split it along a seam; at most ${MAX_LINES})`)
}

export function upwardImports(graph: Map<string, string[]>): string[] {
  const problems: string[] = []
  for (const [file, targets] of graph) {
    const from = layerOf(file)
    if (from < 0) problems.push(`${file} belongs to no layer (add it to LAYERS)`)
    for (const target of targets) {
      const to = layerOf(target)
      if (to > from) problems.push(`${file} (layer ${from}) imports ${target} (layer ${to})`)
    }
  }
  return problems
}

describe('layering of packages/bezzie/src', () => {
  it('no module imports a layer above its own', () => {
    const graph = importGraph()
    expect(graph.size).toBeGreaterThan(40)
    expect(upwardImports(graph)).toEqual([])
  })

  it('the check catches an upward import (session/load.ts → runtime.ts)', () => {
    const graph = new Map([['session/load.ts', ['runtime.ts', 'session/record.ts']]])
    expect(upwardImports(graph)).toEqual(['session/load.ts (layer 2) imports runtime.ts (layer 3)'])
  })

  it(`no source file is longer than ${MAX_LINES} lines`, () => {
    expect(oversizedFiles()).toEqual([])
  })

  it('the size check catches a file one line too long', () => {
    const root = mkdtempSync(join(tmpdir(), 'bezzie-size-'))
    try {
      writeFileSync(join(root, 'ok.ts'), 'x\n'.repeat(MAX_LINES))
      writeFileSync(join(root, 'long.ts'), 'x\n'.repeat(MAX_LINES + 1))
      expect(oversizedFiles(root)).toEqual([
        `long.ts: ${MAX_LINES + 1} lines (split it along a seam; at most ${MAX_LINES})`,
      ])
    } finally {
      rmSync(root, { recursive: true })
    }
  })
})

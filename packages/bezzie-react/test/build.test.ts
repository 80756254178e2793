// @vitest-environment node
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'tsdown'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const packageRoot = fileURLToPath(new URL('..', import.meta.url))
let outDir: string
const output = (file: string) => readFile(join(outDir, file), 'utf8')

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'bezzie-react-build-'))
  await build({
    config: join(packageRoot, 'tsdown.config.ts'),
    cwd: packageRoot,
    outDir,
    dts: false,
    logLevel: 'silent',
  })
}, 300_000)

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true })
})

describe('the published build', () => {
  it.each([
    'bezzie-context.js',
    'bezzie-provider.js',
    'protected.js',
    'use-user.js',
    'use-login.js',
    'use-logout.js',
    'use-bezzie-fetch.js',
    'lib/use-auth-sync.js',
  ])(
    "keeps 'use client' on %s, so React Server Components treat it as client code",
    async (file) => {
      expect((await output(file)).startsWith('"use client";\n')).toBe(true)
    },
  )

  it.each(['index.js', 'user-query-options.js', 'login.js', 'bezzie-error.js'])(
    'leaves %s usable from server code (no directive)',
    async (file) => {
      expect(await output(file)).not.toMatch(/^["']use client["']/)
    },
  )

  it('leaves react and @tanstack/react-query to the application', async () => {
    const provider = await output('bezzie-provider.js')
    expect(provider).toMatch(/from "@tanstack\/react-query"/)
    expect(provider).toMatch(/from "react"/)
    expect(provider).not.toMatch(/class QueryClient\b/)
  })

  it('matches the min+gz size the README states (within 3 %)', async () => {
    const sizeDir = await mkdtemp(join(tmpdir(), 'bezzie-react-size-'))
    try {
      // The same build as `pnpm size`: one minified module, peers external.
      await build({
        config: join(packageRoot, 'tsdown.config.ts'),
        cwd: packageRoot,
        outDir: sizeDir,
        dts: false,
        minify: true,
        unbundle: false,
        logLevel: 'silent',
      })
      const bytes = gzipSync(await readFile(join(sizeDir, 'index.js')), { level: 9 }).length
      const readme = await readFile(join(packageRoot, 'README.md'), 'utf8')
      const stated = Number(readme.match(/\((\d+) bytes for the whole package/)?.[1])
      expect(stated, 'the README states a size in bytes').toBeGreaterThan(0)
      expect(
        Math.abs(bytes - stated) / stated,
        `measured ${bytes} B, README says ${stated} B`,
      ).toBeLessThan(0.03)
    } finally {
      await rm(sizeDir, { recursive: true, force: true })
    }
  }, 300_000)
})

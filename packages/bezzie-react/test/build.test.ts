// @vitest-environment node
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
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
}, 30_000)

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
})

// @vitest-environment node
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'tsdown'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const packageRoot = fileURLToPath(new URL('..', import.meta.url))
let outDir: string
let bundle: string

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'bezzie-react-build-'))
  await build({
    config: join(packageRoot, 'tsdown.config.ts'),
    cwd: packageRoot,
    outDir,
    dts: false,
    logLevel: 'silent',
  })
  bundle = await readFile(join(outDir, 'index.js'), 'utf8')
}, 30_000)

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true })
})

describe('the published bundle', () => {
  it("starts with the 'use client' directive, so RSC frameworks treat it as client code", () => {
    expect(bundle.startsWith("'use client';\n")).toBe(true)
  })

  it('leaves react and @tanstack/react-query to the application', () => {
    expect(bundle).toMatch(/from "@tanstack\/react-query"/)
    expect(bundle).toMatch(/from "react"/)
    expect(bundle).not.toMatch(/class QueryClient\b/)
  })
})

import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url).href)

// vitest.config.ts picks the runtime by folder: a test file anywhere else would never run.
const RUNTIME_FOLDERS = /^(src|test\/workerd|test\/node|test\/stores|test\/faults)\//

describe('test layout', () => {
  it('every test file sits in a folder that chooses its runtime', () => {
    const files = [
      ...readdirSync(`${root}src`, { recursive: true }).map((f) => `src/${f}`),
      ...readdirSync(`${root}test`, { recursive: true }).map((f) => `test/${f}`),
    ].filter((f) => /\.test\.tsx?$/.test(f))
    expect(files.length).toBeGreaterThan(40)
    expect(files.filter((f) => !RUNTIME_FOLDERS.test(f) || f.endsWith('.node.test.ts'))).toEqual([])
  })
})

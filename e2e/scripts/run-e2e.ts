/**
 * `pnpm test` entry point of the browser suite: runs `playwright test` when a Chromium exists.
 * Without one it prints how to install one and exits 0 — except with CI=true, where a missing
 * browser fails the run (a CI that silently skips its browser tests proves nothing).
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { findChromium, isCi, noChromiumMessage } from '@bezzie/test-support/chromium'

if (findChromium().kind === 'none') {
  console.error(noChromiumMessage('@bezzie/e2e'))
  const ci = isCi()
  if (ci) console.error('@bezzie/e2e: CI=true, so this is a failure.')
  process.exit(ci ? 1 : 0)
}

const cli = join(
  dirname(createRequire(import.meta.url).resolve('@playwright/test/package.json')),
  'cli.js',
)
const result = spawnSync(process.execPath, [cli, 'test', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: join(import.meta.dirname, '..'),
})
process.exit(result.status ?? 1)

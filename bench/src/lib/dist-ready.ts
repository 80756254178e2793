import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fromRoot } from './paths.ts'

function exportTargets(pkgDir: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
    exports?: Record<string, unknown>
  }
  return Object.values(manifest.exports ?? {})
    .filter((t): t is string => typeof t === 'string' && !t.endsWith('package.json'))
    .map((t) => path.join(pkgDir, t))
}

/**
 * Waits until every file a workspace package's `exports` point at exists, and still exists half a
 * second later. The working tree is shared: someone else's `build` empties dist/ for a moment,
 * and a bench that imports or bundles right then would fail for no reason of its own.
 *
 * @param dir - the package folder relative to the repo root, e.g. `packages/bezzie`
 * @param timeoutMs - how long to wait (in milliseconds). Default 30000.
 */
export async function distReady(dir: string, timeoutMs = 30_000): Promise<void> {
  const pkgDir = fromRoot(dir)
  const targets = exportTargets(pkgDir)
  const complete = () => targets.every((t) => existsSync(t))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (complete()) {
      await sleep(500)
      if (complete()) return
    }
    await sleep(250)
  }
  const missing = targets.filter((t) => !existsSync(t)).map((t) => path.relative(pkgDir, t))
  throw new Error(
    `${dir} is not built (missing ${missing.join(', ')}): run pnpm --filter ${path.basename(dir)} build`,
  )
}

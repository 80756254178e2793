/**
 * `check:package` step of the published packages: packs the package in the current folder with
 * `pnpm pack` (as `pnpm publish` would) and checks what a consumer receives:
 * - LICENSE, identical to the repository's;
 * - the metadata npm shows (license, repository with its directory, homepage, bugs, engines);
 * - `exports` without the workspace-only `@bezzie/source` condition, every target in the tarball.
 * Usage: `node ../../scripts/check-tarball.ts` from packages/<name>.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'

const SOURCE_CONDITION = '@bezzie/source'
const pkgDir = process.cwd()
const repoRoot = resolve(import.meta.dirname, '..')
const scratch = mkdtempSync(join(tmpdir(), 'bezzie-tarball-'))
const problems: string[] = []

type Exports = string | { [key: string]: Exports }

/** Every file path an `exports` map can resolve to, and whether the source condition appears. */
function targets(value: Exports, found: string[] = []): string[] {
  if (typeof value === 'string') found.push(value)
  else {
    for (const [key, inner] of Object.entries(value)) {
      if (key === SOURCE_CONDITION) problems.push(`exports keeps the ${SOURCE_CONDITION} condition`)
      targets(inner, found)
    }
  }
  return found
}

try {
  execFileSync('pnpm', ['pack', '--pack-destination', scratch], { cwd: pkgDir, stdio: 'ignore' })
  const tarball = execFileSync('sh', ['-c', 'ls *.tgz'], { cwd: scratch, encoding: 'utf8' }).trim()
  execFileSync('tar', ['-xzf', tarball], { cwd: scratch })
  const packed = join(scratch, 'package')
  const files = new Set(
    execFileSync('tar', ['-tzf', tarball], { cwd: scratch, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((file) => file.replace(/^package\//, '')),
  )

  if (!files.has('LICENSE')) problems.push('LICENSE is not in the tarball')
  else if (
    readFileSync(join(packed, 'LICENSE'), 'utf8') !==
    readFileSync(join(repoRoot, 'LICENSE'), 'utf8')
  ) {
    problems.push('LICENSE differs from the repository root LICENSE')
  }

  const manifest = JSON.parse(readFileSync(join(packed, 'package.json'), 'utf8'))
  const directory = relative(repoRoot, pkgDir)
  if (manifest.license !== 'MIT') problems.push(`license is ${JSON.stringify(manifest.license)}`)
  if (!/^git\+https:\/\/github\.com\/.+\.git$/.test(manifest.repository?.url ?? '')) {
    problems.push('repository.url is missing or not a git+https GitHub URL')
  }
  if (manifest.repository?.directory !== directory) {
    problems.push(`repository.directory is not ${JSON.stringify(directory)}`)
  }
  if (!manifest.homepage?.startsWith('https://')) problems.push('homepage is missing')
  if (!manifest.bugs?.url?.startsWith('https://')) problems.push('bugs.url is missing')
  if (!manifest.engines?.node) problems.push('engines.node is missing')
  if (!manifest.description) problems.push('description is missing')
  if (manifest.publishConfig !== undefined) problems.push('publishConfig was not applied')

  for (const target of targets(manifest.exports ?? {})) {
    if (!files.has(target.replace(/^\.\//, '')))
      problems.push(`exports target ${target} is not packed`)
  }

  if (problems.length > 0) {
    console.error(`packed ${manifest.name}:\n  ${problems.join('\n  ')}`)
    process.exitCode = 1
  } else {
    console.log(
      `packed ${manifest.name}: LICENSE, metadata and exports (${files.size} files) are complete`,
    )
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

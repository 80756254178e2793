// @vitest-environment node
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'tsdown'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const packageRoot = fileURLToPath(new URL('..', import.meta.url))
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
let outDir: string

beforeAll(async () => {
  // Inside the package, so the declarations resolve react and @tanstack/react-query as an
  // installed copy of bezzie-react would.
  const cache = join(packageRoot, 'node_modules', '.cache')
  await mkdir(cache, { recursive: true })
  outDir = await mkdtemp(join(cache, 'declarations-'))
  await build({
    config: join(packageRoot, 'tsdown.config.ts'),
    cwd: packageRoot,
    outDir,
    logLevel: 'silent',
  })
  // The declaration build type-checks the whole program up front (dts.tsc.eager, for the bundled
  // @bezzie/contract): slow on a busy machine.
}, 300_000)

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

describe('the published declarations', () => {
  it('compile in an application with exactOptionalPropertyTypes and the other strictest flags', async () => {
    // test/strict/consumer.test-d.tsx is what such an application writes: useQuery,
    // useSuspenseQuery and ensureQueryData with userQueryOptions(), useAuthError, <Protected>.
    const project = join(outDir, 'tsconfig.consumer.json')
    await writeFile(
      project,
      JSON.stringify({
        extends: join(packageRoot, 'test', 'strict', 'tsconfig.json'),
        compilerOptions: { paths: { 'bezzie-react': [join(outDir, 'index.d.ts')] } },
        include: [join(packageRoot, 'test', 'strict', 'consumer.test-d.tsx')],
      }),
    )
    const result = spawnSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], {
      cwd: packageRoot,
      encoding: 'utf8',
    })
    expect(result.stdout + result.stderr).toBe('')
    expect(result.status).toBe(0)
  }, 300_000)
})

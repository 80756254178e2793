// Packs bezzie exactly as npm would, installs the tarball into a scratch project, then
// (1) type-checks the upstream README's snippets against it and (2) runs a smoke test on Node
// through every Node-loadable entry point — once with the Hono the repository uses and once with
// the lowest Hono the peer range allows (`hono-floor`). Run after `pnpm build` (`check:package`).
import { execFileSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const scratch = mkdtempSync(join(tmpdir(), 'bezzie-packed-'))
const run = (cmd: string, args: string[], cwd = scratch) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })

try {
  run('pnpm', ['pack', '--pack-destination', scratch], pkgDir)
  const tarball = run('sh', ['-c', 'ls *.tgz']).trim()
  const modules = join(scratch, 'node_modules')
  mkdirSync(join(modules, '@upstash'), { recursive: true })
  mkdirSync(join(modules, '@cloudflare'), { recursive: true })
  run('tar', ['-xzf', tarball])
  run('mv', ['package', join(modules, 'bezzie')])
  // @bezzie/contract (the wire contract shared with bezzie-react) is private: it must be bundled
  // into the JavaScript and inlined into the declarations, never left as an import.
  const leaks = run('sh', ['-c', `grep -rl '@bezzie/' ${join(modules, 'bezzie', 'dist')} || true`])
  if (leaks.trim()) throw new Error(`the packed dist imports a private package:\n${leaks}`)
  // The Workers build (dist/workers, the workerd and worker conditions) leaves out the Node fast
  // path: code that reaches node:crypto other than through src/platform/crypto.ts would bring it.
  const nodeOnly = run('sh', [
    '-c',
    `grep -rl 'getBuiltinModule' ${join(modules, 'bezzie', 'dist', 'workers')} || true`,
  ])
  if (nodeOnly.trim()) throw new Error(`the Workers build holds Node-only code:\n${nodeOnly}`)
  for (const dep of ['oauth4webapi', 'jose', '@upstash/redis', '@cloudflare/workers-types']) {
    symlinkSync(realpathSync(join(pkgDir, 'node_modules', dep)), join(modules, dep))
  }

  const seed = readFileSync(join(pkgDir, 'test/types/seed-readme.ts'), 'utf8').replaceAll(
    "'../../src/index.ts'",
    "'bezzie'",
  )
  writeFileSync(join(scratch, 'seed.ts'), seed)
  // skipLibCheck hides a type that bezzie's declarations import but a Hono version lacks, so every
  // such import is repeated in a source file, where a missing export is an error.
  const dist = join(modules, 'bezzie', 'dist')
  const honoImports = readdirSync(dist)
    .filter((file) => file.endsWith('.d.ts'))
    .flatMap((file) => [
      ...readFileSync(join(dist, file), 'utf8').matchAll(
        /import(?: type)? \{([^}]*)\} from ["'](hono(?:\/[^"']*)?)["']/g,
      ),
    ])
    .map(([, names, from]) => `import type {${names}} from '${from}'`)
  if (honoImports.length === 0) throw new Error('no Hono import found in the declarations')
  writeFileSync(join(scratch, 'hono-imports.ts'), `${[...new Set(honoImports)].join('\n')}\n`)
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        lib: ['ES2023'],
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['@cloudflare/workers-types'],
      },
      files: ['seed.ts', 'hono-imports.ts'],
    }),
  )

  writeFileSync(
    join(scratch, 'smoke.mjs'),
    `
import { Hono } from 'hono'
import { createBezzie, providers, cloudflareKVAdapter, MemoryAdapter, redisAdapter, ConfigError } from 'bezzie'
import { memoryAdapter } from 'bezzie/memory'
import { cloudflareKVAdapter as kv2 } from 'bezzie/cloudflare'
import { redisAdapter as redis2 } from 'bezzie/redis'
if (typeof kv2 !== 'function' || typeof redis2 !== 'function' || typeof redisAdapter !== 'function') throw new Error('missing adapter export')
if (typeof cloudflareKVAdapter !== 'function' || typeof memoryAdapter !== 'function') throw new Error('missing adapter export')
const auth = createBezzie({ ...providers.auth0('tenant.auth0.com'), clientId: 'x', adapter: new MemoryAdapter(), baseUrl: 'https://app.example.com' })
const app = new Hono()
app.route('/auth', auth.routes())
app.use('/api/*', auth.middleware())
app.get('/api/me', (c) => c.json(c.var.user))
const me = await app.request('https://app.example.com/auth/me')
if (JSON.stringify(await me.json()) !== '{"user":null}') throw new Error('/auth/me')
if ((await app.request('https://app.example.com/api/me')).status !== 401) throw new Error('/api/me')
const { cookie } = await auth.sessions.create({ user: { sub: 'u' }, tokens: { accessToken: 'a', expiresAt: Math.floor(Date.now() / 1000) + 600 } })
const ok = await app.request('https://app.example.com/api/me', { headers: { cookie } })
if ((await ok.json()).sub !== 'u') throw new Error('seeded session')
try { createBezzie({ clientId: 'x', adapter: new MemoryAdapter(), baseUrl: 'https://a.example' }); throw new Error('no ConfigError') } catch (e) { if (!(e instanceof ConfigError) || e.option !== 'issuer') throw e }
console.log('packed bezzie (' + import.meta.resolve('bezzie').replace(/.*\\/bezzie\\//, '') + '): seed snippets type-check, entry points load, smoke test passed')
`,
  )
  const peerRange = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).peerDependencies
    .hono as string
  for (const dep of ['hono', 'hono-floor']) {
    const hono = realpathSync(join(pkgDir, 'node_modules', dep))
    const { version } = JSON.parse(readFileSync(join(hono, 'package.json'), 'utf8'))
    if (dep === 'hono-floor' && peerRange !== `^${version}`) {
      throw new Error(
        `hono-floor is ${version} but the peer range is ${peerRange}: keep them equal`,
      )
    }
    rmSync(join(modules, 'hono'), { force: true })
    symlinkSync(hono, join(modules, 'hono'))
    run(join(pkgDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'])
    process.stdout.write(`hono ${version}: ${run(process.execPath, ['smoke.mjs'])}`)
    // The Workers build, as wrangler resolves it, on Node (it runs anywhere Web Crypto does).
    const workers = run(process.execPath, ['--conditions=workerd', 'smoke.mjs'])
    process.stdout.write(`hono ${version}: ${workers}`)
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

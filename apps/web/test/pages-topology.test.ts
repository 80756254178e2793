// @vitest-environment node
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWrangler, type WranglerProcess } from '@bezzie/test-support/wrangler'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const appDir = fileURLToPath(new URL('..', import.meta.url))

/** Stands in for bezzie-worker: echoes what reached it and answers /auth/login like the BFF. */
const standInBff = `export default {
  async fetch(request) {
    const url = new URL(request.url)
    if (url.pathname === '/auth/login') {
      return new Response(null, { status: 302, headers: {
        location: '/dashboard',
        'set-cookie': '__Host-session=abc; Path=/; Secure; HttpOnly; SameSite=Lax',
      } })
    }
    return Response.json({
      url: request.url,
      method: request.method,
      cookie: request.headers.get('cookie'),
      origin: request.headers.get('origin'),
      body: request.method === 'GET' ? null : await request.text(),
    })
  },
}
`

let workDir: string
let origin: string
const processes: WranglerProcess[] = []

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'bezzie-web-pages-'))
  // A private dev registry (below) keeps the binding from finding anyone else's worker.
  const bffName = 'bezzie-web-test-bff'

  await mkdir(join(workDir, 'bff'))
  await writeFile(join(workDir, 'bff', 'worker.js'), standInBff)
  await writeFile(
    join(workDir, 'bff', 'wrangler.json'),
    JSON.stringify({ name: bffName, main: 'worker.js', compatibility_date: '2026-11-01' }),
  )

  const site = join(workDir, 'site')
  await build({
    configFile: join(appDir, 'vite.config.ts'),
    root: appDir,
    logLevel: 'silent',
    build: { outDir: join(site, 'dist'), emptyOutDir: true, sourcemap: false },
  })
  await cp(join(appDir, 'functions'), join(site, 'functions'), { recursive: true })
  await cp(join(appDir, 'server'), join(site, 'server'), { recursive: true })
  const config = await readFile(join(appDir, 'wrangler.jsonc'), 'utf8')
  expect(config).toContain('"service": "bezzie-worker"')
  await writeFile(
    join(site, 'wrangler.jsonc'),
    config.replace('"service": "bezzie-worker"', `"service": "${bffName}"`),
  )

  const registryPath = join(workDir, 'registry')
  processes.push(
    await startWrangler({
      cwd: join(workDir, 'bff'),
      wranglerFrom: appDir,
      registryPath,
      readyPath: '/',
    }),
  )
  const pages = await startWrangler({
    cwd: site,
    wranglerFrom: appDir,
    command: ['pages', 'dev', 'dist'],
    registryPath,
    readyPath: '/',
  })
  processes.push(pages)
  origin = `http://localhost:${pages.port}`

  // The service binding connects through the dev registry a moment after both are up.
  const deadline = Date.now() + 60_000
  for (;;) {
    const response = await fetch(`${origin}/auth/me`).catch(() => null)
    if (response?.ok && (await response.json()).url) break
    if (Date.now() > deadline) throw new Error('the Pages Function never reached the stand-in BFF')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}, 300_000)

afterAll(async () => {
  for (const process of processes.reverse()) await process.stop()
  if (workDir) await rm(workDir, { recursive: true, force: true })
}, 60_000)

describe('Cloudflare Pages topology: static SPA + Functions over the BFF service binding', () => {
  it('serves the SPA for a deep link to /dashboard and for unknown paths', async () => {
    for (const path of ['/', '/dashboard', '/no/such/page', '/authors']) {
      const response = await fetch(`${origin}${path}`)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('content-type'), path).toContain('text/html')
      expect(await response.text(), path).toContain('<div id="root">')
    }
  })

  it('hands /auth/* to the worker with the Pages URL and the cookie intact', async () => {
    const response = await fetch(`${origin}/auth/me?x=1`, {
      headers: { cookie: '__Host-session=xyz' },
    })
    expect(await response.json()).toEqual({
      url: `${origin}/auth/me?x=1`,
      method: 'GET',
      cookie: '__Host-session=xyz',
      origin: null,
      body: null,
    })
  })

  it('hands /api/* to the worker with method, Origin and body', async () => {
    const response = await fetch(`${origin}/api/notes`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: '{"text":"hi"}',
    })
    expect(await response.json()).toMatchObject({
      url: `${origin}/api/notes`,
      method: 'POST',
      origin,
      body: '{"text":"hi"}',
    })
  })

  it("returns the worker's redirect and __Host- cookie to the browser as they are", async () => {
    const response = await fetch(`${origin}/auth/login?returnTo=%2Fdashboard`, {
      redirect: 'manual',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/dashboard')
    expect(response.headers.getSetCookie()).toEqual([
      '__Host-session=abc; Path=/; Secure; HttpOnly; SameSite=Lax',
    ])
  })
})

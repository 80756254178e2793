// @vitest-environment node
import { createServer as createHttpServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createServer as createViteServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

interface Seen {
  method: string
  url: string
  host: string | undefined
  origin: string | undefined
  cookie: string | undefined
  forwarded: string | undefined
}

/** Stands in for the BFF worker: records what reached it, answers like its login route. */
let bff: Server
let vite: ViteDevServer
let vitePort: number
const seen: Seen[] = []

beforeAll(async () => {
  bff = createHttpServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      host: req.headers.host,
      origin: req.headers.origin,
      cookie: req.headers.cookie,
      forwarded: req.headers['x-forwarded-host'] as string | undefined,
    })
    res.writeHead(302, {
      location: '/dashboard',
      'set-cookie': '__Host-session=abc; Path=/; Secure; HttpOnly; SameSite=Lax',
    })
    res.end()
  })
  await new Promise<void>((resolve) => bff.listen(0, '127.0.0.1', resolve))
  process.env.BEZZIE_BFF_ORIGIN = `http://127.0.0.1:${(bff.address() as AddressInfo).port}`
  vite = await createViteServer({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    root: fileURLToPath(new URL('..', import.meta.url)),
    server: { port: 0, strictPort: false, hmr: false, watch: null },
    logLevel: 'silent',
  })
  await vite.listen()
  const address = vite.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('vite is not listening on a port')
  vitePort = address.port
})

afterAll(async () => {
  await vite?.close()
  await new Promise((resolve) => bff?.close(resolve))
  delete process.env.BEZZIE_BFF_ORIGIN
})

/** A request as the browser on http://localhost:5173 sends it (fetch cannot set Host). */
function send(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: vitePort,
          method,
          path,
          headers: { host: 'localhost:5173', ...headers },
        },
        (res) => {
          let body = ''
          res.on('data', (chunk) => {
            body += chunk
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        },
      )
      req.on('error', reject)
      req.end()
    },
  )
}

describe('vite dev server proxy to the BFF', () => {
  it("keeps the browser's Host, Origin and cookies, so the BFF sees http://localhost:5173", async () => {
    seen.length = 0
    await send('POST', '/auth/logout', {
      origin: 'http://localhost:5173',
      cookie: '__Host-session=xyz',
    })
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/auth/logout',
        host: 'localhost:5173',
        origin: 'http://localhost:5173',
        cookie: '__Host-session=xyz',
        forwarded: undefined,
      },
    ])
  })

  it("passes the BFF's redirect and __Host- cookie back untouched (the IdP callback)", async () => {
    const response = await send('GET', '/auth/callback?code=c&state=s')
    expect(response.status).toBe(302)
    expect(response.headers.location).toBe('/dashboard')
    expect(response.headers['set-cookie']).toEqual([
      '__Host-session=abc; Path=/; Secure; HttpOnly; SameSite=Lax',
    ])
    expect(seen.at(-1)?.url).toBe('/auth/callback?code=c&state=s')
  })

  it('forwards /api/* and leaves client routes that only start with the same letters to the SPA', async () => {
    seen.length = 0
    await send('GET', '/api/me')
    const spa = await send('GET', '/authors', { accept: 'text/html' })
    expect(seen.map((request) => request.url)).toEqual(['/api/me'])
    expect(spa.status).toBe(200)
    expect(spa.body).toContain('<div id="root">')
  })

  it('sends a visitor on 127.0.0.1 to localhost, the origin the BFF calls back to', async () => {
    const response = await send('GET', '/dashboard?x=1', { host: `127.0.0.1:${vitePort}` })
    expect(response.status).toBe(307)
    expect(response.headers.location).toBe(`http://localhost:${vitePort}/dashboard?x=1`)
  })
})

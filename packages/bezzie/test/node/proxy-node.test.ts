import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { type ServerType, serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proxyApp } from '../support/proxy-app.ts'

// On Node, fetch() decompresses upstream bodies but keeps their Content-Encoding header; a proxy
// that passes both on sends plain bytes labelled gzip, which the browser cannot decode.

let upstream: Server
let bff: ServerType
let bffOrigin: string
let cookie: string
const payload = JSON.stringify({ notes: Array.from({ length: 200 }, (_, i) => `note ${i}`) })

beforeAll(async () => {
  upstream = createServer((_req, res) => {
    const body = gzipSync(payload)
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': String(body.length),
    })
    res.end(body)
  })
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r))
  const upstreamOrigin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  const proxied = await proxyApp({ upstream: upstreamOrigin }, 'at')
  cookie = proxied.cookie
  await new Promise<void>((resolve) => {
    bff = serve({ fetch: proxied.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
  })
  bffOrigin = `http://127.0.0.1:${(bff.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((r) => bff.close(r))
  upstream.closeAllConnections()
  await new Promise((r) => upstream.close(r))
})

describe('auth.proxy on Node (@hono/node-server)', () => {
  it('passes a gzip-encoded upstream response to the client in a decodable form', async () => {
    const res = await fetch(`${bffOrigin}/api/proxy/notes`, {
      headers: { cookie, 'x-csrf': '1', 'accept-encoding': 'gzip' },
    })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(payload)
  })
})

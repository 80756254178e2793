import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A real HTTP upstream for proxy tests (Node): echoes method, path, query, headers and body as
 * JSON, sets a cookie it must never get to the browser and a `Cache-Control: public` a shared
 * cache must never act on, `/slow` never answers in time.
 */
export async function startEchoUpstream(): Promise<{ origin: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url?.includes('/slow')) {
      setTimeout(() => res.end('late'), 3000).unref()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      res.setHeader('set-cookie', 'upstream=secret; Path=/')
      res.setHeader('x-upstream', 'yes')
      res.setHeader('cache-control', 'public, max-age=3600')
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

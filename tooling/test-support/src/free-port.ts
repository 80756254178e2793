import { createServer } from 'node:net'

/**
 * A TCP port on 127.0.0.1 that the OS reported free a moment ago (bound with port 0, then
 * released). Tests use it instead of the shared development ports (4010, 5173, 8787, 8788).
 * Another process may take it before the caller binds it; that window is accepted for tests.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

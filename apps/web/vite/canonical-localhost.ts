import type { Plugin } from 'vite'

/**
 * Redirects `http://127.0.0.1:PORT/…` to `http://localhost:PORT/…` on the dev and preview servers.
 *
 * The BFF's `baseUrl` in development is `http://localhost:5173`: its callback comes back to
 * `localhost`, so a login started on `127.0.0.1` (the address Vite prints, since it binds there)
 * would set its cookies on the wrong host and fail at the callback. One origin avoids that.
 */
export function canonicalLocalhost(): Plugin {
  const redirect = (
    req: { headers: { host?: string }; url?: string },
    res: { statusCode: number; setHeader(name: string, value: string): void; end(): void },
    next: () => void,
  ) => {
    const host = req.headers.host ?? ''
    if (!host.startsWith('127.0.0.1:')) return next()
    res.statusCode = 307
    res.setHeader(
      'location',
      `http://localhost:${host.slice('127.0.0.1:'.length)}${req.url ?? '/'}`,
    )
    res.end()
  }
  return {
    name: 'bezzie:canonical-localhost',
    configureServer: (server) => void server.middlewares.use(redirect),
    configurePreviewServer: (server) => void server.middlewares.use(redirect),
  }
}

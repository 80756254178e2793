import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'

/** The nonce secret the test upstream makes its DPoP nonces with. */
export const DPOP_NONCE_SECRET = 'bezzie-tests-dpop-nonce-secret-0123'

/**
 * The real apps/upstream-mock Worker (its Hono app needs only fetch, Web Crypto and jose) served on
 * Node on a free port with `env` as its bindings: the API a proxied DPoP request really reaches.
 */
export async function startUpstreamMock(
  env: Record<string, string>,
): Promise<{ origin: string; stop(): Promise<void> }> {
  const modulePath = new URL('../../../../apps/upstream-mock/src/index.ts', import.meta.url).href
  const worker = (await import(modulePath)) as {
    default: { fetch(request: Request, env: Record<string, string>): Promise<Response> }
  }
  const server = serve({
    fetch: (req) => worker.default.fetch(req, env),
    port: 0,
    hostname: '127.0.0.1',
  })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

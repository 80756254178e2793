import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../app-env.ts'
import { ApiError, errorResponse } from '../errors.ts'

/** Largest body `/api/echo` reads, in bytes. */
export const MAX_ECHO_BODY_BYTES = 1024 * 1024

/** Body of every `/api/echo` response. */
export interface EchoResponse {
  method: string
  /** Path as received, e.g. `/api/echo/a/b`. */
  path: string
  /** Query parameters; every value is an array, in the order received. */
  query: Record<string, string[]>
  /**
   * Request headers, lower-cased; `authorization` is reduced to its scheme (`Bearer <redacted>`,
   * `DPoP <redacted>`) and a `dpop` proof to `<proof>`.
   */
  headers: Record<string, string>
  /** Length of the request body in bytes (0 when none). */
  bodyLength: number
  /** Subject of the verified access token. */
  sub: string
  /** How the token came: `"DPoP"` or `"Bearer"`. */
  tokenType: 'Bearer' | 'DPoP'
}

/**
 * `/api/echo` and `/api/echo/*`, any method: describes the request as received, so a proxy's
 * header hygiene can be asserted. The token itself is never echoed.
 */
export const echoRoutes = new Hono<AppEnv>().all(
  '*',
  bodyLimit({
    maxSize: MAX_ECHO_BODY_BYTES,
    onError: (c) =>
      errorResponse(
        c,
        new ApiError(413, 'payload_too_large', `The body exceeds ${MAX_ECHO_BODY_BYTES} bytes`),
      ),
  }),
  async (c) => {
    const headers: Record<string, string> = {}
    for (const [name, value] of c.req.raw.headers) {
      headers[name] = name === 'authorization' ? redact(value) : name === 'dpop' ? '<proof>' : value
    }
    const body: EchoResponse = {
      method: c.req.method,
      path: c.req.path,
      query: c.req.queries(),
      headers,
      bodyLength: c.req.raw.body ? (await c.req.arrayBuffer()).byteLength : 0,
      sub: c.get('claims').sub,
      tokenType: c.get('tokenType'),
    }
    c.header('Cache-Control', 'no-store')
    return c.json(body)
  },
)

function redact(authorization: string): string {
  const scheme = authorization.split(' ', 1)[0] ?? ''
  return `${scheme} <redacted>`
}

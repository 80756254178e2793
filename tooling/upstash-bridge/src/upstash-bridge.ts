import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BulkString, RedisReplyError, RespConnection, type RespReply } from './resp-connection.ts'

/** Options for {@link startUpstashBridge}. */
export interface UpstashBridgeOptions {
  /** The real Redis behind the bridge, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string
  /** Bearer token clients must send. Default: 32 random bytes, hex. */
  token?: string
  /** TCP port on 127.0.0.1. Default 0 (the OS picks a free port). */
  port?: number
}

/** A running bridge: give `url` and `token` to `new Redis({ url, token })` from `@upstash/redis`. */
export interface UpstashBridge {
  url: string
  token: string
  /** Closes the HTTP server and the Redis connection. */
  stop(): Promise<void>
}

type Encode = (reply: RespReply) => unknown
type UpstashResult = { result: unknown } | { error: string }

/** Largest request body accepted (in bytes): far above any session record, small enough to fail fast. */
const MAX_BODY_BYTES = 8 * 1024 * 1024

class HttpError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

/**
 * Starts an HTTP server speaking the subset of the Upstash Redis REST protocol that
 * `@upstash/redis` uses, in front of a real redis-server: `POST /` (one command as a JSON array),
 * `POST /pipeline` and `POST /multi-exec` (a JSON array of commands, answered with one
 * `{ result }` or `{ error }` per command), bearer-token authentication (401 otherwise), and the
 * `Upstash-Encoding: base64` response encoding the client asks for by default.
 *
 * Test tooling only: it binds to 127.0.0.1 and forwards every command verbatim.
 */
export async function startUpstashBridge({
  redisUrl,
  token = randomBytes(32).toString('hex'),
  port = 0,
}: UpstashBridgeOptions): Promise<UpstashBridge> {
  let connection = await RespConnection.open(redisUrl)
  const redis = async (commands: string[][]): Promise<RespReply[]> => {
    if (!connection.open) connection = await RespConnection.open(redisUrl)
    return connection.send(commands)
  }
  const expected = Buffer.from(`Bearer ${token}`)

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 502
      const message = error instanceof Error ? error.message : String(error)
      sendJson(res, status, { error: message })
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = Buffer.from(req.headers.authorization ?? '')
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      throw new HttpError(401, 'Unauthorized')
    }
    if (req.method !== 'POST') throw new HttpError(405, 'Only POST is supported')
    const encode: Encode =
      String(req.headers['upstash-encoding']).toLowerCase() === 'base64' ? toBase64 : toText
    const path = new URL(req.url ?? '/', 'http://bridge').pathname.replace(/\/+$/, '')
    const body = await readJson(req)

    if (path === '') {
      const [reply] = await redis([toCommand(body)])
      const result = toResult(reply ?? null, encode)
      sendJson(res, 'error' in result ? 400 : 200, result)
      return
    }
    if (path === '/pipeline') {
      const replies = await redis(toCommands(body))
      sendJson(
        res,
        200,
        replies.map((reply) => toResult(reply, encode)),
      )
      return
    }
    if (path === '/multi-exec') {
      const commands = toCommands(body)
      const replies = await redis([['MULTI'], ...commands, ['EXEC']])
      const exec = replies.at(-1) ?? null
      if (exec instanceof RedisReplyError) {
        const queued = replies.slice(1, -1).find((r) => r instanceof RedisReplyError)
        sendJson(res, 400, {
          error: (queued as RedisReplyError | undefined)?.message ?? exec.message,
        })
        return
      }
      const results = Array.isArray(exec) ? exec : []
      sendJson(
        res,
        200,
        results.map((reply) => toResult(reply, encode)),
      )
      return
    }
    throw new HttpError(404, `Unknown endpoint ${path}`)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const { port: actualPort } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${actualPort}`,
    token,
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      connection.close()
    },
  }
}

function toResult(reply: RespReply, encode: Encode): UpstashResult {
  if (reply instanceof RedisReplyError) return { error: reply.message }
  return { result: encode(reply) }
}

/** Base64 mode: bulk strings and status replies are base64, except the status reply `OK`. */
function toBase64(reply: RespReply): unknown {
  if (reply instanceof BulkString) return reply.bytes.toString('base64')
  if (typeof reply === 'string')
    return reply === 'OK' ? reply : Buffer.from(reply).toString('base64')
  if (Array.isArray(reply)) return reply.map(toBase64)
  if (reply instanceof RedisReplyError) return reply.message
  return reply
}

function toText(reply: RespReply): unknown {
  if (reply instanceof BulkString) return reply.bytes.toString('utf8')
  if (Array.isArray(reply)) return reply.map(toText)
  if (reply instanceof RedisReplyError) return reply.message
  return reply
}

function toCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, 'A command is a non-empty JSON array, e.g. ["GET","key"]')
  }
  return value.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg)))
}

function toCommands(value: unknown): string[][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, 'A pipeline is a non-empty JSON array of commands')
  }
  return value.map(toCommand)
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large')
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON')
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

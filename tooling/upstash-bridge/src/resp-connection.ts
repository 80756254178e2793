import { connect, type Socket } from 'node:net'

/** An error reply from Redis (`-ERR …`), kept as a value so it can sit inside an EXEC array. */
export class RedisReplyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RedisReplyError'
  }
}

/** A bulk-string reply: raw bytes, which may or may not be UTF-8. */
export class BulkString {
  readonly bytes: Buffer
  constructor(bytes: Buffer) {
    this.bytes = bytes
  }
}

/**
 * A decoded RESP2 reply. Bulk strings stay {@link BulkString} and status replies stay `string`,
 * because the Upstash REST protocol encodes the two differently (`"OK"` is never base64-encoded).
 */
export type RespReply = string | number | null | BulkString | RedisReplyError | RespReply[]

interface Pending {
  resolve: (reply: RespReply) => void
  reject: (error: Error) => void
}

const CRLF = Buffer.from('\r\n')

/** Encodes one command as a RESP array of bulk strings. */
export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)]
  for (const arg of args) {
    const bytes = Buffer.from(arg, 'utf8')
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF)
  }
  return Buffer.concat(parts)
}

/** Parses one reply at `offset`; `undefined` when the buffer does not hold a whole reply yet. */
export function parseReply(
  buf: Buffer,
  offset: number,
): { reply: RespReply; next: number } | undefined {
  const lineEnd = buf.indexOf(CRLF, offset)
  if (lineEnd === -1) return undefined
  const type = String.fromCharCode(buf[offset] ?? 0)
  const line = buf.toString('utf8', offset + 1, lineEnd)
  const afterLine = lineEnd + 2
  switch (type) {
    case '+':
      return { reply: line, next: afterLine }
    case '-':
      return { reply: new RedisReplyError(line), next: afterLine }
    case ':':
      return { reply: Number(line), next: afterLine }
    case '$': {
      const length = Number(line)
      if (length === -1) return { reply: null, next: afterLine }
      if (buf.length < afterLine + length + 2) return undefined
      return {
        reply: new BulkString(buf.subarray(afterLine, afterLine + length)),
        next: afterLine + length + 2,
      }
    }
    case '*': {
      const count = Number(line)
      if (count === -1) return { reply: null, next: afterLine }
      const items: RespReply[] = []
      let next = afterLine
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, next)
        if (!item) return undefined
        items.push(item.reply)
        next = item.next
      }
      return { reply: items, next }
    }
    default:
      throw new Error(`RESP protocol error: unexpected type byte ${JSON.stringify(type)}`)
  }
}

/**
 * A minimal RESP2 connection to redis-server. Commands of one {@link send} call are written in a
 * single socket write, so a `MULTI … EXEC` batch is never interleaved with another request's
 * commands; replies come back in order (Redis answers each connection FIFO).
 */
export class RespConnection {
  readonly #socket: Socket
  readonly #pending: Pending[] = []
  #buffer: Buffer = Buffer.alloc(0)
  #closed: Error | undefined

  private constructor(socket: Socket) {
    this.#socket = socket
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('error', (error) => this.#fail(error))
    socket.on('close', () => this.#fail(new Error('redis connection closed')))
  }

  /** Opens a connection to `redis://host:port`. */
  static open(redisUrl: string): Promise<RespConnection> {
    const url = new URL(redisUrl)
    return new Promise((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port || 6379) })
      socket.once('connect', () => {
        socket.off('error', reject)
        socket.setNoDelay(true)
        resolve(new RespConnection(socket))
      })
      socket.once('error', reject)
    })
  }

  /** True until the socket errors or closes. */
  get open(): boolean {
    return this.#closed === undefined
  }

  /** Sends the commands in one write and resolves their replies, in order. */
  send(commands: readonly (readonly string[])[]): Promise<RespReply[]> {
    if (this.#closed) return Promise.reject(this.#closed)
    const replies = commands.map(
      () =>
        new Promise<RespReply>((resolve, reject) => {
          this.#pending.push({ resolve, reject })
        }),
    )
    this.#socket.write(Buffer.concat(commands.map(encodeCommand)))
    return Promise.all(replies)
  }

  /** Closes the socket; pending commands are rejected. */
  close(): void {
    this.#socket.destroy()
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk])
    let offset = 0
    for (;;) {
      let parsed: ReturnType<typeof parseReply>
      try {
        parsed = parseReply(this.#buffer, offset)
      } catch (error) {
        this.#fail(error as Error)
        this.#socket.destroy()
        return
      }
      if (!parsed) break
      offset = parsed.next
      this.#pending.shift()?.resolve(parsed.reply)
    }
    this.#buffer = offset === this.#buffer.length ? Buffer.alloc(0) : this.#buffer.subarray(offset)
  }

  #fail(error: Error): void {
    this.#closed ??= error
    for (const pending of this.#pending.splice(0)) pending.reject(error)
  }
}

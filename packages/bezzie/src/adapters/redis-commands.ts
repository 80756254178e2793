import { ConfigError } from '../errors.ts'

/**
 * The handful of Redis commands the adapter needs, over whichever client the application uses.
 * Clients are recognised by shape so bezzie never imports (or depends on) a Redis package.
 *
 * @internal
 */
export interface RedisCommands {
  /** `GET key`; the value exactly as stored. */
  get(key: string): Promise<string | null>
  /** `SET key value …options`; true when Redis answered OK (false when NX/XX prevented it). */
  set(key: string, value: string, options: readonly string[]): Promise<boolean>
  /** `EVAL script 1 key …args`; string replies come back verbatim. */
  eval(script: string, key: string, args: readonly string[]): Promise<unknown>
  /** `DEL key` */
  del(key: string): Promise<void>
  /** `SMEMBERS key` with members verbatim. */
  smembers(key: string): Promise<string[]>
  /** `SREM key member` */
  srem(key: string, member: string): Promise<void>
}

/** ioredis (`new Redis(url)`): a generic `call(command, ...args)`. */
interface IoRedisLike {
  call(command: string, ...args: string[]): Promise<unknown>
}

/** node-redis v4+ (`createClient()`): a generic `sendCommand(args)`. */
interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>
}

/** `@upstash/redis` (also `@upstash/redis/cloudflare`): typed methods over HTTP. */
interface UpstashLike {
  get(key: string): Promise<unknown>
  set(key: string, value: string, options?: Record<string, unknown>): Promise<unknown>
  del(...keys: string[]): Promise<unknown>
  eval(script: string, keys: string[], args: string[]): Promise<unknown>
  srem(key: string, ...members: string[]): Promise<unknown>
}

/**
 * The clients {@link redisAdapter} accepts: `@upstash/redis`, node-redis (`redis`) and ioredis.
 * Typed structurally so any of them (or a compatible wrapper) fits without an import.
 */
export type RedisClient = IoRedisLike | NodeRedisLike | UpstashLike

const isFunction = (value: unknown): value is (...args: never[]) => unknown =>
  typeof value === 'function'

/** Recognises the client by shape; throws a {@link ConfigError} naming what was expected. */
export function redisCommands(client: RedisClient): RedisCommands {
  const candidate = client as unknown as Record<string, unknown> | null
  if (candidate && isFunction(candidate.call))
    return generic((args) => (client as IoRedisLike).call(...(args as [string, ...string[]])))
  if (candidate && isFunction(candidate.sendCommand))
    return generic((args) => (client as NodeRedisLike).sendCommand(args))
  if (
    candidate &&
    isFunction(candidate.eval) &&
    isFunction(candidate.set) &&
    isFunction(candidate.get)
  ) {
    return upstash(client as UpstashLike)
  }
  throw new ConfigError(
    'redisAdapter.client',
    'needs an @upstash/redis Redis, a connected node-redis client (createClient) or an ioredis Redis',
  )
}

function generic(send: (args: string[]) => Promise<unknown>): RedisCommands {
  return {
    get: async (key) => asText(await send(['GET', key])),
    set: async (key, value, options) => (await send(['SET', key, value, ...options])) === 'OK',
    eval: (script, key, args) => send(['EVAL', script, '1', key, ...args]),
    del: async (key) => {
      await send(['DEL', key])
    },
    smembers: async (key) =>
      ((await send(['SMEMBERS', key])) as unknown[]).map((m) => asText(m) ?? ''),
    srem: async (key, member) => {
      await send(['SREM', key, member])
    },
  }
}

// @upstash/redis JSON-parses replies by default (`automaticDeserialization`), which would turn a
// stored "123" into 123 and '{"a":1}' into an object. Reads therefore go through EVAL with every
// string reply prefixed by a character no JSON text starts with; the prefix is stripped here, so
// the value comes back byte-identical whatever the client's deserialization setting.
const MARK = '~'
const GET_MARKED = `local v = redis.call('GET', KEYS[1]) if v then return '${MARK}' .. v end return false`
const SMEMBERS_MARKED = `local m = redis.call('SMEMBERS', KEYS[1]) for i = 1, #m do m[i] = '${MARK}' .. m[i] end return m`

function unmark(value: unknown): string | null {
  if (typeof value !== 'string') return null
  return value.startsWith(MARK) ? value.slice(MARK.length) : value
}

function upstash(client: UpstashLike): RedisCommands {
  return {
    get: async (key) => unmark(await client.eval(GET_MARKED, [key], [])),
    set: async (key, value, options) =>
      (await client.set(key, value, upstashSetOptions(options))) === 'OK',
    eval: (script, key, args) => client.eval(script, [key], [...args]),
    del: async (key) => {
      await client.del(key)
    },
    smembers: async (key) => {
      const members = (await client.eval(SMEMBERS_MARKED, [key], [])) as unknown[] | null
      return (members ?? []).map((m) => unmark(m) ?? '')
    },
    srem: async (key, member) => {
      await client.srem(key, member)
    },
  }
}

/** Translates `['EX', '60', 'XX']`-style options to the `{ ex: 60, xx: true }` the SDK takes. */
function upstashSetOptions(options: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (let i = 0; i < options.length; i++) {
    const option = (options[i] ?? '').toLowerCase()
    if (option === 'ex' || option === 'px') result[option] = Number(options[++i])
    else result[option] = true
  }
  return result
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return new TextDecoder().decode(value)
  return String(value)
}

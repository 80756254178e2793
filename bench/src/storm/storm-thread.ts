/**
 * A second, independent bezzie "isolate" for the refresh storm: a worker thread has its own V8
 * isolate and its own copy of every module, so nothing bezzie caches at module level (in-flight
 * refreshes, discovery, JWKS) is shared with the main thread; only the Redis store is.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { Redis as Upstash } from '@upstash/redis'
import { Redis } from 'ioredis'
import { bezzieApp, bezzieLogin, loadBezzie } from '../lib/bezzie-app.ts'
import { kvLike } from '../lib/kv-like.ts'
import { fire } from './fire.ts'

/** How the thread reaches the shared Redis. */
export type StoreLink = (
  | { kind: 'ioredis'; url: string }
  | { kind: 'upstash'; url: string; token: string }
) & {
  /** Strip the lock and conditional write (a KV-like control). */
  kvLike?: boolean
}

interface Input {
  issuer: string
  link: StoreLink
  refreshBufferSeconds: number
}

const input = workerData as Input
// loadBezzie waits for a complete dist/ first; bezzie/redis is imported only after it.
const bz = await loadBezzie()
const { redisAdapter } = await import('bezzie/redis')
const link = input.link
const ioredis = link.kind === 'ioredis' ? new Redis(link.url) : undefined
const client = ioredis ?? new Upstash({ url: link.url, token: (link as { token: string }).token })
const app = bezzieApp(bz, {
  issuer: input.issuer,
  adapter: link.kvLike ? kvLike(redisAdapter(client)) : redisAdapter(client),
  refreshBufferSeconds: input.refreshBufferSeconds,
  errors: [],
})
const port = parentPort
if (!port) throw new Error('storm-thread must run as a worker thread')
port.on('message', async (msg: { cookie: string; n: number; at: number } | 'close') => {
  if (msg === 'close') {
    ioredis?.disconnect()
    port.close()
    return
  }
  port.postMessage(await fire(app, msg.cookie, msg.n, msg.at))
})
// A warm isolate, like a production one that has served before: one login caches discovery and
// the JWKS here, so this thread's refresh is not delayed behind a cold discovery request.
await bezzieLogin(app)
port.postMessage('ready')

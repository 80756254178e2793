/**
 * A second, independent bezzie "isolate" for the refresh storm: a worker thread has its own V8
 * isolate and its own copy of every module, so nothing bezzie caches at module level (in-flight
 * refreshes, discovery, JWKS) is shared with the main thread; only the Redis store is.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { redisAdapter } from 'bezzie/redis'
import { Redis } from 'ioredis'
import { bezzieApp, loadBezzie } from '../lib/bezzie-app.ts'
import { fire } from './fire.ts'

interface Input {
  issuer: string
  redisUrl: string
  refreshBufferSeconds: number
}

const input = workerData as Input
const bz = await loadBezzie()
const client = new Redis(input.redisUrl)
const app = bezzieApp(bz, {
  issuer: input.issuer,
  adapter: redisAdapter(client),
  refreshBufferSeconds: input.refreshBufferSeconds,
  errors: [],
})
const port = parentPort
if (!port) throw new Error('storm-thread must run as a worker thread')
port.on('message', async (msg: { cookie: string; n: number } | 'close') => {
  if (msg === 'close') {
    client.disconnect()
    port.close()
    return
  }
  port.postMessage(await fire(app, msg.cookie, msg.n))
})
port.postMessage('ready')

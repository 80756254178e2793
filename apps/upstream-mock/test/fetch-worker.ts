import { env, exports } from 'cloudflare:workers'
import worker from '../src/index.ts'

const ORIGIN = 'http://upstream.test'

/** Calls the Worker under test through its real entrypoint, with the configured bindings. */
export function fetchWorker(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, init))
}

/** Calls the Worker's handler with some bindings replaced (another issuer, a broken one). */
export async function fetchWorkerWith(
  bindings: Partial<Env>,
  path: string,
  init?: RequestInit,
): Promise<Response> {
  return worker.fetch(new Request(`${ORIGIN}${path}`, init), { ...env, ...bindings })
}

/** Request options carrying `token` as a bearer credential. */
export function bearer(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${token}` } }
}

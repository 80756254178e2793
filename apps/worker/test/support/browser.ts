import { createExecutionContext } from 'cloudflare:test'
import { env as workerEnv } from 'cloudflare:workers'
// The IdP's fetch-only login driver (no Node APIs), imported by path: the package entry point
// also starts servers and cannot load inside workerd.
import { driveLogin } from '../../../idp/src/drive-login.ts'
import worker from '../../src/index.ts'
import { BASE_URL } from './constants.ts'

/**
 * A minimal browser over the Worker's `fetch`: a cookie jar, no redirect following, and the
 * Fetch Metadata a same-origin page sends with unsafe requests. `env` overrides let one test
 * switch the session store or break a variable without another Worker.
 */
export class Browser {
  readonly cookies = new Map<string, string>()
  readonly env: Env

  constructor(overrides: Partial<Record<keyof Env, unknown>> = {}) {
    this.env = { ...workerEnv, ...overrides } as Env
  }

  async request(
    path: string,
    init: {
      method?: string
      headers?: HeadersInit
      body?: BodyInit
      /** Send `X-CSRF: 1`, as bezzie-react's fetch does on every method. Default true; a form POST or a navigation cannot. */
      csrfHeader?: boolean
    } = {},
  ): Promise<Response> {
    const headers = new Headers(init.headers)
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    if (cookie) headers.set('cookie', cookie)
    if (init.csrfHeader ?? true) headers.set('x-csrf', '1')
    if (init.method && init.method !== 'GET') {
      headers.set('sec-fetch-site', 'same-origin')
      headers.set('origin', BASE_URL)
    }
    const request = new Request<unknown, IncomingRequestCfProperties>(new URL(path, BASE_URL), {
      method: init.method ?? 'GET',
      body: init.body ?? null,
      headers,
      redirect: 'manual',
    })
    const response = await worker.fetch(request, this.env, createExecutionContext())
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  /** Logs in as `username` through the Worker's `/auth` routes and the real IdP. */
  async login(username = 'alice', returnTo = '/dashboard'): Promise<Response> {
    const start = await this.request(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`)
    if (start.status !== 302) throw new Error(`login did not redirect: ${start.status}`)
    const { callbackUrl } = await driveLogin(start.headers.get('location') as string, {
      username,
      password: 'bezzie',
    })
    const callback = new URL(callbackUrl)
    return this.request(callback.pathname + callback.search)
  }
}

import { BASE_URL } from './constants.ts'

type Fetcher = (request: Request) => Response | Promise<Response>

/**
 * A minimal browser for tests: a cookie jar over a fetch function, no redirect following.
 * Cookies are kept by name (tests use one origin).
 */
export class Browser {
  readonly cookies = new Map<string, string>()
  readonly #fetch: Fetcher

  constructor(fetcher: Fetcher) {
    this.#fetch = fetcher
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    const cookie = this.cookieHeader()
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie)
    const response = await this.#fetch(
      new Request(new URL(path, BASE_URL), { ...init, headers, redirect: 'manual' }),
    )
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === ''
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers })
  }

  /** A same-origin POST as a browser sends it (Fetch Metadata + Origin). */
  post(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin', origin: BASE_URL, ...headers },
    })
  }
}

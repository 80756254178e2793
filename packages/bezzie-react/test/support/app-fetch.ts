import type { FetchLike } from '../../src/types.ts'

export interface RecordedRequest {
  method: string
  url: string
  headers: Headers
  credentials: RequestCredentials | undefined
}

/**
 * A `fetch` that sends requests to a Hono app in-process, as a browser would to the same origin:
 * relative URLs resolve against the page, and the cookie jar's session cookie goes along.
 */
/** Anything with a Fetch-API handler, such as a Hono app. */
interface FetchHandler {
  fetch(request: Request): Response | Promise<Response>
}

export function appFetch(app: FetchHandler, jar: { cookie?: string } = {}) {
  const requests: RecordedRequest[] = []
  let offline = false
  const fetch: FetchLike = async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), 'http://localhost/')
    const headers = new Headers(init.headers)
    requests.push({
      method: init.method ?? 'GET',
      url: url.pathname + url.search,
      headers,
      credentials: init.credentials,
    })
    if (offline) throw new TypeError('Failed to fetch')
    const request = new Request(url, { ...init, headers })
    // Set after construction: happy-dom's Request drops forbidden headers such as Cookie, which a
    // browser adds itself, exactly like the Fetch Metadata header below.
    if (jar.cookie !== undefined && init.credentials !== 'omit') {
      request.headers.set('cookie', jar.cookie)
    }
    request.headers.set('sec-fetch-site', 'same-origin')
    return app.fetch(request)
  }
  return {
    fetch,
    requests,
    /** Requests to `path` so far. */
    count: (path: string) => requests.filter((r) => r.url === path).length,
    /** From now on every request fails like a dropped connection. */
    goOffline: () => {
      offline = true
    },
  }
}

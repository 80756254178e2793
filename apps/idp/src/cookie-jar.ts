interface StoredCookie {
  name: string
  value: string
  host: string
  path: string
}

/**
 * A minimal cookie jar for driving the IdP with fetch: host-only cookies, path matching and
 * deletion by `Max-Age=0` / a past `Expires`. Enough for oidc-provider's cookies, nothing more.
 */
export class CookieJar {
  #cookies: StoredCookie[] = []

  /** Stores the `Set-Cookie` headers of a response to `url`. */
  store(url: string | URL, setCookies: readonly string[]): void {
    const { host, pathname } = new URL(url)
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';')
      const separator = pair.indexOf('=')
      if (separator <= 0) continue
      const name = pair.slice(0, separator).trim()
      const value = pair.slice(separator + 1).trim()
      let path = pathname.slice(0, pathname.lastIndexOf('/')) || '/'
      let expired = value === ''
      for (const attribute of attributes) {
        const [key = '', ...rest] = attribute.trim().split('=')
        const attributeValue = rest.join('=')
        const lower = key.toLowerCase()
        if (lower === 'path' && attributeValue.startsWith('/')) path = attributeValue
        if (lower === 'max-age' && Number(attributeValue) <= 0) expired = true
        if (lower === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true
      }
      this.#cookies = this.#cookies.filter(
        (cookie) => !(cookie.name === name && cookie.host === host && cookie.path === path),
      )
      if (!expired) this.#cookies.push({ name, value, host, path })
    }
  }

  /** The `Cookie` header value to send to `url` (empty when none match). */
  header(url: string | URL): string {
    const { host, pathname } = new URL(url)
    return this.#cookies
      .filter(
        (cookie) =>
          cookie.host === host &&
          (pathname === cookie.path ||
            pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`)),
      )
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ')
  }
}

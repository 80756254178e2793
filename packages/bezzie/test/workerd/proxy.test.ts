import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { ConfigError } from '../../src/errors.ts'
import { BASE_URL } from '../support/constants.ts'
import { proxyApp } from '../support/proxy-app.ts'

interface Echo {
  method: string
  url: string
  headers: Record<string, string>
  body: string
}

async function setup(
  options: { stripPrefix?: string; timeoutMs?: number; upstream?: string } = {},
) {
  const { app, cookie } = await proxyApp({
    ...options,
    upstream: options.upstream ?? `${env.UPSTREAM_ORIGIN}/v1`,
  })
  const send = (path: string, init: RequestInit = {}, withSession = true) => {
    const headers = new Headers(init.headers)
    if (withSession) headers.set('cookie', `${cookie}; other=1`)
    // What bezzie-react's fetch helper sends; the proxy requires it by default.
    if (!headers.has('x-csrf')) headers.set('x-csrf', '1')
    return app.fetch(new Request(`${BASE_URL}${path}`, { ...init, headers }))
  }
  return { send }
}

describe('auth.proxy', () => {
  it('forwards method, path, query and body with the bearer token, never the browser credentials', async () => {
    const { send } = await setup()
    const res = await send('/api/proxy/notes/1?x=1&y=2', {
      method: 'PUT',
      headers: {
        authorization: 'Basic browser',
        origin: BASE_URL,
        'sec-fetch-site': 'same-origin',
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': 'drop me',
        'proxy-authorization': 'drop',
        'content-type': 'text/plain',
        'x-custom': 'kept',
      },
      body: 'hello upstream',
    })
    expect(res.status).toBe(200)
    const echo = (await res.json()) as Echo
    expect(echo.method).toBe('PUT')
    expect(echo.url).toBe('/v1/notes/1?x=1&y=2')
    expect(echo.body).toBe('hello upstream')
    expect(echo.headers.authorization).toBe('Bearer the-access-token')
    expect(echo.headers.cookie).toBeUndefined()
    expect(echo.headers['x-secret-hop']).toBeUndefined()
    expect(echo.headers['proxy-authorization']).toBeUndefined()
    expect(echo.headers['x-custom']).toBe('kept')
    expect(echo.headers['x-forwarded-host']).toBe(new URL(BASE_URL).host)
    expect(echo.headers['x-forwarded-proto']).toBe('https')
  })

  it('streams a request body (ReadableStream) through; X-Forwarded-For is cf-connecting-ip, not the browser’s', async () => {
    const { send } = await setup()
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('part one, '))
        controller.enqueue(encoder.encode('part two'))
        controller.close()
      },
    })
    const res = await send('/api/proxy/upload', {
      method: 'POST',
      headers: {
        origin: BASE_URL,
        'sec-fetch-site': 'same-origin',
        'cf-connecting-ip': '203.0.113.7',
        'x-forwarded-for': '6.6.6.6',
        forwarded: 'for=6.6.6.6',
        'content-type': 'text/plain',
      },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(200)
    const echo = (await res.json()) as Echo
    expect(echo.body).toBe('part one, part two')
    expect(echo.headers['x-forwarded-for']).toBe('203.0.113.7')
    expect(echo.headers.forwarded).toBeUndefined()
  })

  it('IP spoofing: X-Forwarded-* and Forwarded sent by the browser never reach the upstream', async () => {
    const { send } = await setup()
    const res = await send('/api/proxy/who', {
      headers: {
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'http',
        forwarded: 'for=6.6.6.6;host=evil.example',
      },
    })
    const echo = (await res.json()) as Echo
    expect(echo.headers['x-forwarded-for']).toBeUndefined()
    expect(echo.headers.forwarded).toBeUndefined()
    expect(echo.headers['x-forwarded-host']).toBe(new URL(BASE_URL).host)
    expect(echo.headers['x-forwarded-proto']).toBe('https')
  })

  it('cookie injection from upstream: Set-Cookie is stripped from the response', async () => {
    const { send } = await setup()
    const res = await send('/api/proxy/anything')
    expect(res.headers.get('x-upstream')).toBe('yes')
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it.each([
    '/api/proxy/../../admin',
    '/api/proxy/%2e%2e/admin',
    '/api/proxy/a/%2E%2E/%2E%2E/admin',
    '/api/proxy/%2F%2Fevil.example/x',
    '/api/proxy/..%5c..%5cadmin',
    '/api/proxy/..%2f..%2fadmin',
    '/api/proxy/%5C%5Cevil.example/x',
    '/api/proxy/\\\\evil.example/x',
    '/api/proxy/@evil.example/x',
    '/api/proxy/x@evil.example',
    '/api/proxy/%40evil.example',
    '/api/proxy/%2F%2F',
  ])('path traversal: %s is refused or stays under the upstream base', async (path) => {
    const { send } = await setup()
    const res = await send(path)
    if (res.status === 200) {
      const echo = (await res.json()) as Echo
      expect(echo.url.startsWith('/v1/')).toBe(true)
      expect(echo.url).not.toContain('..')
    } else {
      expect([400, 404]).toContain(res.status)
    }
  })

  it('SSRF: a path that looks like another host never leaves the upstream origin', async () => {
    const { send } = await setup()
    const res = await send('/api/proxy//evil.example/steal')
    expect([400, 404]).toContain(res.status)
  })

  it('requires a session: no cookie → 401 before anything is forwarded', async () => {
    const { send } = await setup()
    const res = await send('/api/proxy/notes', {}, false)
    expect(res.status).toBe(401)
    expect(res.headers.get('x-upstream')).toBeNull()
  })

  it('upstream timeout → 504 JSON', async () => {
    const { send } = await setup({ timeoutMs: 300 })
    const res = await send('/api/proxy/slow')
    expect(res.status).toBe(504)
    expect(await res.json()).toMatchObject({ error: 'upstream_timeout' })
  })

  it('upstream unreachable → 502 JSON', async () => {
    const { send } = await setup({ upstream: 'http://127.0.0.1:9' })
    const res = await send('/api/proxy/x')
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: 'upstream_unreachable' })
  })

  it('rejects a bad upstream at construction time', () => {
    const auth = createBezzie({
      issuer: 'https://idp.example.com',
      clientId: 'c',
      adapter: new MemoryAdapter(),
      baseUrl: BASE_URL,
    })
    expect(() => auth.proxy({ upstream: 'not a url' })).toThrow(ConfigError)
    expect(() => auth.proxy({ upstream: 'ftp://x.example' })).toThrow(ConfigError)
  })
})

import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { BASE_URL } from '../../support/constants.ts'
import { proxyApp } from '../../support/proxy-app.ts'

interface Echo {
  method: string
  url: string
  headers: Record<string, string>
}

/** A signed-in browser in front of `auth.proxy()` to the echoing upstream's `/v1`. */
async function proxied() {
  const { app, cookie } = await proxyApp({ upstream: `${env.UPSTREAM_ORIGIN}/v1` })
  return (url: string, headers: Record<string, string> = {}) =>
    app.fetch(
      new Request(new URL(url, BASE_URL), { headers: { cookie, 'x-csrf': '1', ...headers } }),
    )
}

describe('proxy attacks', () => {
  it('Host header poisoning: a spoofed Host never becomes the upstream X-Forwarded-Host/Proto', async () => {
    const send = await proxied()
    const res = await send('http://evil.example/api/proxy/reset-password')
    const echo = (await res.json()) as Echo
    expect(echo.headers['x-forwarded-host']).toBe(new URL(BASE_URL).host)
    expect(echo.headers['x-forwarded-proto']).toBe('https')
  })

  it('IP and routing spoofing: X-Real-IP, True-Client-IP, X-Forwarded-Port/Prefix, X-Original-URL never reach the upstream', async () => {
    const send = await proxied()
    const spoofed = {
      'x-real-ip': '6.6.6.6',
      'true-client-ip': '6.6.6.6',
      'x-client-ip': '6.6.6.6',
      'x-forwarded-port': '8443',
      'x-forwarded-prefix': '/evil',
      'x-forwarded-server': 'evil.example',
      'x-original-url': '/admin',
      'x-rewrite-url': '/admin',
    }
    const echo = (await (await send('/api/proxy/whoami', spoofed)).json()) as Echo
    for (const name of Object.keys(spoofed)) expect(echo.headers[name], name).toBeUndefined()
    expect(echo.url).toBe('/v1/whoami')
  })

  it('CSRF bypass via method override: a GET (never CSRF-checked) cannot carry X-HTTP-Method-Override upstream', async () => {
    const send = await proxied()
    const echo = (await (
      await send('/api/proxy/notes/1', {
        'x-http-method-override': 'DELETE',
        'x-http-method': 'DELETE',
        'x-method-override': 'DELETE',
      })
    ).json()) as Echo
    expect(echo.method).toBe('GET')
    expect(echo.headers['x-http-method-override']).toBeUndefined()
    expect(echo.headers['x-http-method']).toBeUndefined()
    expect(echo.headers['x-method-override']).toBeUndefined()
  })

  it('path traversal with path parameters: ..;/ (read as .. by Java servers) cannot leave the upstream base path', async () => {
    const send = await proxied()
    for (const path of [
      '/api/proxy/..;/admin',
      '/api/proxy/a/..;x=1/..;/admin',
      '/api/proxy/.;/x',
    ]) {
      const res = await send(path)
      expect(res.status, path).toBe(400)
      expect(((await res.json()) as { error: string }).error).toBe('invalid_path')
    }
  })
})

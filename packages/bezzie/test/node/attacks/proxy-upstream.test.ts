import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BASE_URL } from '../../support/constants.ts'
import { proxyApp } from '../../support/proxy-app.ts'

// Two real HTTP servers: the upstream, which redirects `/moved` to the "elsewhere" server, answers
// `/cors` with a credentialed CORS policy reflecting any Origin (harmless for a bearer-token API,
// which no other page can authenticate to) and echoes everything else; and "elsewhere", which
// records whatever reaches it.
const reachedElsewhere: IncomingHttpHeaders[] = []
let upstream: Server
let elsewhere: Server
let upstreamOrigin: string
let elsewhereOrigin: string

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    reachedElsewhere.push(req.headers)
    res.end('stolen')
  })
  elsewhereOrigin = await listen(elsewhere)
  upstream = createServer((req, res) => {
    if (req.url?.endsWith('/moved')) {
      res.writeHead(302, { location: `${elsewhereOrigin}/steal` })
      res.end()
      return
    }
    if (req.url?.endsWith('/upload')) {
      // A user's upload served back verbatim, as file APIs do: attacker-controlled HTML.
      res.setHeader('content-type', 'text/html')
      res.end('<script>fetch("/api/notes", { method: "POST" })</script>')
      return
    }
    if (req.url?.endsWith('/own-csp')) {
      res.setHeader('content-security-policy', "default-src 'self'")
      res.end('{}')
      return
    }
    if (req.url?.endsWith('/cors')) {
      res.setHeader('access-control-allow-origin', req.headers.origin ?? '*')
      res.setHeader('access-control-allow-credentials', 'true')
      res.setHeader('access-control-expose-headers', '*')
      res.setHeader('vary', 'Origin')
    }
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ headers: req.headers }))
  })
  upstreamOrigin = await listen(upstream)
})

afterAll(async () => {
  for (const server of [upstream, elsewhere]) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

async function proxied() {
  const { app, cookie } = await proxyApp({ upstream: upstreamOrigin })
  return (path: string, headers: Record<string, string> = {}) =>
    app.fetch(new Request(`${BASE_URL}${path}`, { headers: { cookie, 'x-csrf': '1', ...headers } }))
}

describe('proxy attacks on Node', () => {
  it('bearer token theft via upstream redirect: a 30x to another host goes to the browser, never followed with the token', async () => {
    const send = await proxied()
    const res = await send('/api/proxy/moved')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`${elsewhereOrigin}/steal`)
    expect(reachedElsewhere).toEqual([])
  })

  it('cross-origin data theft: the upstream’s CORS policy is not relayed onto the cookie-authenticated BFF origin', async () => {
    const send = await proxied()
    // A sibling subdomain is same-site: its credentialed GET carries the SameSite=Lax cookie.
    const res = await send('/api/proxy/cors', {
      origin: 'https://evil.bezzie.test',
      'sec-fetch-site': 'same-site',
    })
    expect(res.status).toBe(200)
    const cors = [...res.headers.keys()].filter((name) => name.startsWith('access-control-'))
    expect(cors).toEqual([])
  })

  it('stored XSS on the app origin: upstream HTML (a user upload) is served sandboxed and never sniffed', async () => {
    const send = await proxied()
    const res = await send('/api/proxy/files/upload')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/(^|;)\s*sandbox\s*(;|$)/)
    expect(csp).toContain("default-src 'none'")
    // An upstream that sets its own policy keeps it.
    const own = await send('/api/proxy/own-csp')
    expect(own.headers.get('content-security-policy')).toBe("default-src 'self'")
  })

  it('IP spoofing on Node: a browser-sent cf-connecting-ip does not become X-Forwarded-For', async () => {
    const send = await proxied()
    const res = await send('/api/proxy/whoami', { 'cf-connecting-ip': '6.6.6.6' })
    const { headers } = (await res.json()) as { headers: IncomingHttpHeaders }
    expect(headers['x-forwarded-for']).toBeUndefined()
    expect(headers['cf-connecting-ip']).toBeUndefined()
  })
})

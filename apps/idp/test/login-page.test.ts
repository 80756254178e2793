import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar } from '../src/cookie-jar.ts'
import { driveLogin, type Idp, startIdp } from '../src/index.ts'
import { authorizationRequest, testClient } from './helpers.ts'

/** Follows redirects from the authorization URL to the login page; returns it and the jar. */
async function openLoginPage(url: string) {
  const jar = new CookieJar()
  let current = new URL(url)
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(current, {
      headers: { cookie: jar.header(current) },
      redirect: 'manual',
    })
    jar.store(current, response.headers.getSetCookie())
    const location = response.headers.get('location')
    if (!location) return { response, html: await response.text(), jar, url: current }
    current = new URL(location, current)
  }
  throw new Error('too many redirects')
}

async function submitLogin(
  page: Awaited<ReturnType<typeof openLoginPage>>,
  form: Record<string, string>,
) {
  const action = /<form[^>]*action="([^"]+)"/.exec(page.html)?.[1] ?? ''
  const target = new URL(action, page.url)
  return fetch(target, {
    method: 'POST',
    headers: {
      cookie: page.jar.header(target),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form),
    redirect: 'manual',
  })
}

describe('login page', () => {
  let idp: Idp
  beforeAll(async () => {
    idp = await startIdp({ clients: [testClient({ client_name: 'Notes <BFF>' })] })
  })
  afterAll(() => idp.stop())

  it('renders the form fields, the demo users and the demo look', async () => {
    const page = await openLoginPage(authorizationRequest(idp.issuer).url)
    expect(page.response.status).toBe(200)
    expect(page.response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.html).toContain('name="username"')
    expect(page.html).toContain('name="password"')
    expect(page.html).toContain('Alice Liddell')
    expect(page.html).toContain('Bob Builder')
    expect(page.html).toContain('#F4F3EF')
    expect(page.html).toContain('#7C3AED')
    expect(page.html).toContain('font-family:"Inter"')
  })

  it('serves Inter from its own origin, which the page policy allows and nothing else', async () => {
    const page = await openLoginPage(authorizationRequest(idp.issuer).url)
    const csp = page.response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("font-src 'self'")
    const urls = [...page.html.matchAll(/url\((\/[^)]+)\)/g)].map((match) => match[1] ?? '')
    expect(urls).toHaveLength(4)
    for (const url of urls) {
      expect(url).toMatch(/^\/assets\/fonts\/inter-latin-\d00-normal\.woff2$/)
      const font = await fetch(new URL(url, idp.issuer))
      expect(font.status).toBe(200)
      expect(font.headers.get('content-type')).toBe('font/woff2')
      const bytes = new Uint8Array(await font.arrayBuffer())
      // Every WOFF2 file starts with the signature "wOF2".
      expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('wOF2')
    }
    // Path traversal: only the listed files are served.
    const outside = await fetch(new URL('/assets/fonts/..%2F..%2Fpackage.json', idp.issuer))
    expect(outside.status).not.toBe(200)
  })

  it('fills the form for a demo user picked from the list, and signs in with it', async () => {
    const page = await openLoginPage(authorizationRequest(idp.issuer).url)
    const link = /<a class="user" href="([^"]+)"/.exec(page.html)?.[1]
    expect(link).toBe('?user=alice')
    const picked = new URL(link ?? '', page.url)
    const response = await fetch(picked, { headers: { cookie: page.jar.header(picked) } })
    const html = await response.text()
    expect(html).toContain('id="username" name="username" required value="alice"')
    expect(html).toMatch(/name="password" type="password" required value="bezzie"/)
    const submitted = await submitLogin(
      { ...page, html },
      { username: 'alice', password: 'bezzie' },
    )
    expect(submitted.status).toBe(303)
  })

  it('ignores a picked user that is not a demo user (no reflection)', async () => {
    const page = await openLoginPage(authorizationRequest(idp.issuer).url)
    const picked = new URL('?user=%22%3E%3Cb%3Ex', page.url)
    const html = await (
      await fetch(picked, { headers: { cookie: page.jar.header(picked) } })
    ).text()
    expect(html).toContain('name="username" required autofocus value=""')
    expect(html).not.toContain('<b>x')
  })

  it("offers a Cancel link to the interaction's abort route", async () => {
    const page = await openLoginPage(authorizationRequest(idp.issuer).url)
    const abort = /<a class="cancel" href="([^"]+)"/.exec(page.html)?.[1] ?? ''
    expect(abort).toMatch(/^\/interaction\/[\w-]+\/abort$/)
    const target = new URL(abort, page.url)
    const response = await fetch(target, {
      headers: { cookie: page.jar.header(target) },
      redirect: 'manual',
    })
    expect(response.status).toBe(303)
  })

  it('refuses to be framed and runs no script (clickjacking)', async () => {
    const page = await openLoginPage(authorizationRequest(idp.issuer).url)
    expect(page.response.headers.get('x-frame-options')).toBe('DENY')
    const csp = page.response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("default-src 'none'")
    expect(page.html).not.toContain('<script')
  })

  it('escapes the client name (stored XSS through client metadata)', async () => {
    const page = await openLoginPage(authorizationRequest(idp.issuer).url)
    expect(page.html).toContain('Notes &lt;BFF&gt;')
    expect(page.html).not.toContain('Notes <BFF>')
  })

  it('re-renders the page with an error on a wrong password', async () => {
    const page = await openLoginPage(authorizationRequest(idp.issuer).url)
    const response = await submitLogin(page, { username: 'alice', password: 'wrong' })
    expect(response.status).toBe(401)
    const html = await response.text()
    expect(html).toContain('Wrong username or password.')
    expect(html).toContain('name="password"')
    expect(html).not.toMatch(/at \w+ \(|node:internal/)
  })

  it('escapes the username echoed back after a failed attempt (reflected XSS)', async () => {
    const page = await openLoginPage(authorizationRequest(idp.issuer).url)
    const response = await submitLogin(page, {
      username: '"><script>alert(1)</script>',
      password: 'x',
    })
    const html = await response.text()
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('driveLogin reports the page error on a wrong password', async () => {
    await expect(
      driveLogin(authorizationRequest(idp.issuer).url, { username: 'bob', password: 'nope' }),
    ).rejects.toThrow(/Wrong username or password/)
  })

  it('renders an unregistered redirect_uri as a plain escaped page, without redirecting (open redirect)', async () => {
    const request = authorizationRequest(idp.issuer, {
      redirect_uri: 'https://evil.example/<b>cb</b>',
    })
    const response = await fetch(request.url, { redirect: 'manual' })
    expect(response.status).toBe(400)
    expect(response.headers.get('location')).toBeNull()
    const html = await response.text()
    expect(html).toContain('invalid_redirect_uri')
    expect(html).not.toContain('<b>cb</b>')
    expect(html).not.toMatch(/at \w+ \(|node:internal/)
  })

  it('answers an interaction without its cookie with a plain error page', async () => {
    const response = await fetch(`${idp.issuer}/interaction/doesnotexist`)
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('invalid_request')
  })
})

import type { IncomingMessage, ServerResponse } from 'node:http'

const xsrfInput = /name="xsrf" value="([^"]+)"/

function mergeCookieHeader(requestCookies: string, setCookies: readonly string[]): string {
  const jar = new Map<string, string>()
  for (const pair of requestCookies.split(';')) {
    const separator = pair.indexOf('=')
    if (separator > 0) jar.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim())
  }
  for (const header of setCookies) {
    const [pair = ''] = header.split(';')
    const separator = pair.indexOf('=')
    if (separator > 0) jar.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim())
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

async function relay(res: ServerResponse, response: Response, setCookies: string[]): Promise<void> {
  const headers: Record<string, string | string[]> = { 'cache-control': 'no-store' }
  for (const name of ['content-type', 'location']) {
    const value = response.headers.get(name)
    if (value) headers[name] = value
  }
  if (setCookies.length) headers['set-cookie'] = setCookies
  res.writeHead(response.status, headers)
  res.end(Buffer.from(await response.arrayBuffer()))
}

/**
 * RP-initiated logout without the "do you want to sign out?" step: runs oidc-provider's
 * end_session request (which validates id_token_hint, client_id and post_logout_redirect_uri),
 * then confirms it with `logout=yes` on the user's behalf, and answers with the final 303 to the
 * post_logout_redirect_uri. Both hops go to this same server over loopback so the provider's own
 * checks, grant revocation and back-channel logout all run unchanged; a plain `fetch` following
 * redirects, and a browser, both end up at the client.
 *
 * GET only: oidc-provider's POST variant stays off, because a cross-site POST would not carry the
 * SameSite=Lax session cookie and would leave the IdP session alive.
 */
export async function handleEndSession(
  req: IncomingMessage,
  res: ServerResponse,
  internalOrigin: string,
  internalHeaders: Record<string, string>,
): Promise<void> {
  const requestCookies = req.headers.cookie ?? ''
  const first = await fetch(new URL(req.url ?? '/', internalOrigin), {
    headers: { ...internalHeaders, cookie: requestCookies },
    redirect: 'manual',
  })
  const firstCookies = first.headers.getSetCookie()
  const html = first.status === 200 ? await first.clone().text() : ''
  const xsrf = xsrfInput.exec(html)?.[1]
  if (!xsrf) {
    await relay(res, first, firstCookies)
    return
  }
  const confirm = await fetch(new URL('/session/end/confirm', internalOrigin), {
    method: 'POST',
    headers: {
      ...internalHeaders,
      cookie: mergeCookieHeader(requestCookies, firstCookies),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ xsrf, logout: 'yes' }),
    redirect: 'manual',
  })
  await relay(res, confirm, [...firstCookies, ...confirm.headers.getSetCookie()])
}

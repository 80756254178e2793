import type { IncomingMessage, ServerResponse } from 'node:http'

const BODY_LIMIT = 64 * 1024

/** Reads a request body (at most 64 KiB). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > BODY_LIMIT) throw new RangeError('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req)).toString('utf8'))
}

/**
 * Pages carry no script and load nothing but the IdP's own font files; they must not be framed
 * (clickjacking of the login form). No `form-action`: browsers apply it to the redirect chain
 * after the login POST.
 */
const pageSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; frame-ancestors 'none'"

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': pageSecurityPolicy,
    'x-frame-options': 'DENY',
  })
  res.end(html)
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  })
  res.end(JSON.stringify(body))
}

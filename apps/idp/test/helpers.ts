import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ClientMetadata } from 'oidc-provider'
import { driveLogin } from '../src/index.ts'

export const CLIENT_ID = 'test-bff'
export const CLIENT_SECRET = 'test-bff-secret'
export const REDIRECT_URI = 'http://localhost:1/auth/callback'
export const POST_LOGOUT_REDIRECT_URI = 'http://localhost:1/'

export function testClient(overrides: Partial<ClientMetadata> = {}): ClientMetadata {
  return {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI],
    ...overrides,
  }
}

export interface AuthorizationRequest {
  url: string
  verifier: string
  state: string
  nonce: string
}

export function authorizationRequest(
  issuer: string,
  params: Record<string, string> = {},
): AuthorizationRequest {
  const verifier = randomBytes(32).toString('base64url')
  const state = randomBytes(8).toString('hex')
  const nonce = randomBytes(8).toString('hex')
  const url = new URL('/auth', issuer)
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email offline_access read:notes',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  }).toString()
  return { url: url.href, verifier, state, nonce }
}

export function basicAuth(id = CLIENT_ID, secret = CLIENT_SECRET): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`
}

export interface TokenResponse {
  access_token: string
  id_token?: string
  refresh_token?: string
  expires_in: number
  token_type: string
  scope?: string
  error?: string
}

export async function tokenRequest(
  issuer: string,
  params: Record<string, string>,
): Promise<{ status: number; body: TokenResponse }> {
  const response = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  })
  return { status: response.status, body: (await response.json()) as TokenResponse }
}

/** Runs the whole code flow for `username` and returns the token response. */
export async function login(
  issuer: string,
  username = 'alice',
  params: Record<string, string> = {},
): Promise<TokenResponse & { request: AuthorizationRequest }> {
  const request = authorizationRequest(issuer, params)
  const { callbackUrl } = await driveLogin(request.url, { username, password: 'bezzie' })
  const code = new URL(callbackUrl).searchParams.get('code')
  if (!code) throw new Error(`no code in ${callbackUrl}`)
  const { status, body } = await tokenRequest(issuer, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: request.verifier,
  })
  if (status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(body)}`)
  return { ...body, request }
}

export function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

/** A tiny HTTP server recording back-channel logout POSTs. */
export async function startLogoutReceiver(): Promise<{
  url: string
  received: URLSearchParams[]
  close(): Promise<void>
}> {
  const received: URLSearchParams[] = []
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    received.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
    res.writeHead(200).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://localhost:${port}/auth/backchannel-logout`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

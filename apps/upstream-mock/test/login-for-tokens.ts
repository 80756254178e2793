import { createHash, randomBytes } from 'node:crypto'
import { DEMO_PASSWORD, DEV_CLIENT_ID, DEV_CLIENT_SECRET, driveLogin } from '@bezzie/idp'

/** Tokens from a completed authorization code grant. */
export interface Tokens {
  access_token: string
  id_token: string
}

const REDIRECT_URI = 'http://localhost:8787/auth/callback'

/**
 * Runs a real authorization code flow with PKCE (S256) against `issuer` for a demo user, as the
 * `bezzie-dev` client, and returns the token endpoint's JWT access token and ID token.
 * Runs on Node (vitest globalSetup): the IdP's login helper is not a Worker module.
 */
export async function loginForTokens(issuer: string, username: string): Promise<Tokens> {
  const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string
    token_endpoint: string
  }
  const verifier = randomBytes(32).toString('base64url')
  const state = randomBytes(16).toString('base64url')
  const authorization = new URL(metadata.authorization_endpoint)
  authorization.search = new URLSearchParams({
    client_id: DEV_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email read:notes write:notes',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString()

  const { callbackUrl } = await driveLogin(authorization.href, {
    username,
    password: DEMO_PASSWORD,
  })
  const callback = new URL(callbackUrl)
  const code = callback.searchParams.get('code')
  if (!code || callback.searchParams.get('state') !== state) {
    throw new Error(`login for ${username} did not return a code: ${callbackUrl}`)
  }

  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${DEV_CLIENT_ID}:${DEV_CLIENT_SECRET}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
  })
  const body = (await response.json()) as Partial<Tokens> & { error?: string }
  if (!response.ok || !body.access_token || !body.id_token) {
    throw new Error(`token exchange for ${username} failed: HTTP ${response.status} ${body.error}`)
  }
  return { access_token: body.access_token, id_token: body.id_token }
}

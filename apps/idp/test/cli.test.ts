import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { DEV_CLIENT_ID, driveLogin } from '../src/index.ts'
import { authorizationRequest, basicAuth, startLogoutReceiver } from './helpers.ts'

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))

async function startCli(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; issuer: string; output: () => string }> {
  const child = spawn(process.execPath, [cli], {
    env: { ...process.env, IDP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  // Waits for the banner (or the exit), with a budget far above a start on a busy machine.
  const deadline = Date.now() + 50_000
  while (Date.now() < deadline) {
    const issuer = /at (http:\/\/localhost:\d+)/.exec(output)?.[1]
    if (issuer && output.includes('users')) return { child, issuer, output: () => output }
    if (child.exitCode !== null) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  child.kill('SIGKILL')
  throw new Error(`the CLI did not start:\n${output}`)
}

describe('cli', () => {
  let running: ChildProcess | undefined
  afterEach(() => {
    if (running?.exitCode === null) running.kill('SIGKILL')
  })

  it('prints the issuer and demo users, registers BACKCHANNEL_LOGOUT_URI and stops on SIGTERM', async () => {
    const receiver = await startLogoutReceiver()
    try {
      const { child, issuer, output } = await startCli({
        BACKCHANNEL_LOGOUT_URI: receiver.url,
        ACCESS_TOKEN_TTL: '7',
      })
      running = child
      expect(output()).toContain('alice (Alice Liddell)')
      expect(output()).toContain('bob (Bob Builder)')
      expect(output()).toContain('bezzie-dev')

      const { callbackUrl } = await driveLogin(
        authorizationRequest(issuer, {
          client_id: DEV_CLIENT_ID,
          redirect_uri: 'http://localhost:5173/auth/callback',
        }).url,
        { username: 'alice', password: 'bezzie' },
      )
      expect(callbackUrl).toMatch(/^http:\/\/localhost:5173\/auth\/callback\?code=/)

      const ended = await fetch(`${issuer}/__idp/end-session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: 'alice' }),
      })
      expect(ended.status).toBe(204)
      expect(receiver.received).toHaveLength(1)

      child.kill('SIGTERM')
      const [code] = await once(child, 'exit')
      expect(code).toBe(0)
    } finally {
      await receiver.close()
    }
  })

  it('signs an app on another port in with no code: IDP_REDIRECT_URIS and IDP_CLIENTS', async () => {
    const { child, issuer, output } = await startCli({
      BACKCHANNEL_LOGOUT_URI: '',
      IDP_REDIRECT_URIS: 'http://localhost:3000/auth/callback',
      IDP_CLIENTS: JSON.stringify([
        {
          client_id: 'other-app',
          client_secret: 'other-secret',
          redirect_uris: ['http://localhost:4321/auth/callback'],
        },
      ]),
    })
    running = child
    expect(output()).toContain('http://localhost:3000/auth/callback')
    expect(output()).toContain('other-app → http://localhost:4321/auth/callback')

    const devLogin = await driveLogin(
      authorizationRequest(issuer, {
        client_id: DEV_CLIENT_ID,
        redirect_uri: 'http://localhost:3000/auth/callback',
      }).url,
      { username: 'alice', password: 'bezzie' },
    )
    expect(devLogin.callbackUrl).toMatch(/^http:\/\/localhost:3000\/auth\/callback\?code=/)

    const request = authorizationRequest(issuer, {
      client_id: 'other-app',
      redirect_uri: 'http://localhost:4321/auth/callback',
    })
    const { callbackUrl } = await driveLogin(request.url, { username: 'bob', password: 'bezzie' })
    const code = new URL(callbackUrl).searchParams.get('code') ?? ''
    const token = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basicAuth('other-app', 'other-secret'),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://localhost:4321/auth/callback',
        code_verifier: request.verifier,
      }),
    })
    expect(token.status).toBe(200)
    expect(await token.json()).toMatchObject({ token_type: 'Bearer', id_token: expect.any(String) })

    // A redirect URI nobody registered is still refused.
    const refused = await fetch(
      authorizationRequest(issuer, {
        client_id: DEV_CLIENT_ID,
        redirect_uri: 'http://localhost:3001/auth/callback',
      }).url,
      { redirect: 'manual' },
    )
    expect(refused.status).toBe(400)
  })

  it('refuses an unusable IDP_CLIENTS with a message naming it', async () => {
    const child = spawn(process.execPath, [cli], {
      env: { ...process.env, IDP_PORT: '0', IDP_CLIENTS: '[{"client_id":"a"}]' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    running = child
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
    })
    const [code] = await once(child, 'exit')
    expect(code).toBe(1)
    expect(stderr).toContain('IDP_CLIENTS[0] ("a") needs "redirect_uris"')
  })

  it('refuses a malformed IDP_PORT with a message', async () => {
    const child = spawn(process.execPath, [cli], {
      env: { ...process.env, IDP_PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    running = child
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
    })
    const [code] = await once(child, 'exit')
    expect(code).toBe(1)
    expect(stderr).toContain('IDP_PORT must be a non-negative integer')
  })
})

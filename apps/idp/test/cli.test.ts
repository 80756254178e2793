import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { DEV_CLIENT_ID, driveLogin } from '../src/index.ts'
import { authorizationRequest, startLogoutReceiver } from './helpers.ts'

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

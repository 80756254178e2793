import { createServer } from 'node:net'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { findChromium, isCi, noChromiumMessage } from '../src/chromium.ts'
import { freePort } from '../src/free-port.ts'
import { bffClientMetadata, loginForTokens, startIdpForBff } from '../src/idp.ts'

describe('freePort', () => {
  it('returns a port that can be bound right away on 127.0.0.1', async () => {
    const port = await freePort()
    expect(port).toBeGreaterThan(0)
    expect([4010, 5173, 8787, 8788]).not.toContain(port)
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', resolve)
    })
    await new Promise((resolve) => server.close(resolve))
  })
})

describe('findChromium', () => {
  it('reports none when BEZZIE_E2E_CHROMIUM=none, whatever is installed', () => {
    expect(findChromium({ BEZZIE_E2E_CHROMIUM: 'none' })).toEqual({ kind: 'none' })
  })

  it('uses the path in BEZZIE_E2E_CHROMIUM when it exists, with the closed-network flags', () => {
    const choice = findChromium({ BEZZIE_E2E_CHROMIUM: process.execPath })
    expect(choice).toMatchObject({ kind: 'system', executablePath: process.execPath })
    expect(choice.kind !== 'none' && choice.args).toContain('--disable-background-networking')
  })

  it('treats CI=true and CI=1 as CI', () => {
    expect(isCi({ CI: 'true' })).toBe(true)
    expect(isCi({ CI: '1' })).toBe(true)
    expect(isCi({})).toBe(false)
  })

  it('says how to install a browser', () => {
    expect(noChromiumMessage('suite')).toMatch(/apt-get install -y chromium/)
  })
})

describe('startIdpForBff + loginForTokens', () => {
  it('registers the BFF client and yields tokens for alice from a real code flow', async () => {
    const client = {
      clientId: 'support-test',
      clientSecret: 'support-test-secret',
      origins: ['http://127.0.0.1:1'],
    }
    expect(bffClientMetadata(client).redirect_uris).toEqual(['http://127.0.0.1:1/auth/callback'])
    const idp = await startIdpForBff(client, { resource: 'https://api.support.test' })
    try {
      const tokens = await loginForTokens(idp.issuer, {
        ...client,
        redirectUri: 'http://127.0.0.1:1/auth/callback',
      })
      expect(decodeJwt(tokens.id_token).sub).toBe('alice')
      expect(decodeJwt(tokens.access_token)).toMatchObject({
        sub: 'alice',
        aud: 'https://api.support.test',
      })
    } finally {
      await idp.stop()
    }
  })
})

import { describe, expect, it } from 'vitest'
import { startIdp } from '../src/index.ts'
import { testClient } from './helpers.ts'

describe('startIdp', () => {
  it('rejects nonsensical options with a TypeError naming the option', async () => {
    await expect(startIdp({ accessTokenTtl: 0 })).rejects.toThrow(/accessTokenTtl/)
    await expect(startIdp({ refreshTokenTtl: 1.5 })).rejects.toThrow(/refreshTokenTtl/)
    await expect(startIdp({ port: -1 })).rejects.toThrow(/port/)
    await expect(startIdp({ resource: 'not a uri' })).rejects.toThrow(/resource/)
  })

  it('refuses invalid client metadata at start, naming the client', async () => {
    await expect(
      startIdp({ clients: [testClient({ client_id: 'broken', redirect_uris: ['not-a-url'] })] }),
    ).rejects.toThrow(/client broken: redirect_uris/)
  })

  it('fails to start on a port in use', async () => {
    const first = await startIdp({ clients: [testClient()] })
    try {
      await expect(startIdp({ port: first.port })).rejects.toThrow(/EADDRINUSE/)
    } finally {
      await first.stop()
    }
  })

  it('stops idempotently and frees the port', async () => {
    const idp = await startIdp({ clients: [testClient()] })
    await Promise.all([idp.stop(), idp.stop()])
    const again = await startIdp({ clients: [testClient()], port: idp.port })
    expect(again.issuer).toBe(idp.issuer)
    await again.stop()
  })
})

import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK, type KeyObject } from 'jose'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import type { BezzieConfig } from '../../src/config.ts'
import { CLIENT_ID, CLIENT_SECRET } from './constants.ts'

export interface SigningIssuer {
  /** `http://127.0.0.1:<free port>`, also the `issuer` of its discovery document. */
  issuer: string
  /** The RS256 private key behind `publicJwk` (`kid: "k1"`), so tests can mint any token. */
  signingKey: KeyObject
  publicJwk: JWK
  close(): Promise<void>
}

/**
 * A real issuer over HTTP on Node (discovery + `/jwks`) whose signing key the test holds.
 * `discovery` adds fields to the discovery document; `routes` answers further exact paths.
 */
export async function startSigningIssuer(
  options: {
    discovery?: Record<string, unknown>
    routes?: Record<string, (res: ServerResponse) => void>
  } = {},
): Promise<SigningIssuer> {
  const pair = await generateKeyPair('RS256', { extractable: true })
  const publicJwk: JWK = {
    ...(await exportJWK(pair.publicKey)),
    kid: 'k1',
    alg: 'RS256',
    use: 'sig',
  }
  let issuer = ''
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    const route = options.routes?.[req.url ?? '']
    if (req.url === '/.well-known/openid-configuration') {
      res.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          ...options.discovery,
        }),
      )
    } else if (req.url === '/jwks') {
      res.end(JSON.stringify({ keys: [publicJwk] }))
    } else if (route) {
      route(res)
    } else {
      res.statusCode = 404
      res.end('{}')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    issuer,
    signingKey: pair.privateKey as KeyObject,
    publicJwk,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** The relying party receiving `issuer`'s logout tokens (back-channel logout on); `extra` overrides. */
export function backchannelConfig(issuer: string, extra: Partial<BezzieConfig> = {}): BezzieConfig {
  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    baseUrl: 'https://app.bezzie.test',
    adapter: new MemoryAdapter(),
    backchannelLogout: true,
    ...extra,
  }
}

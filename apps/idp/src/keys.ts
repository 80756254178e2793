import { generateKeyPairSync, randomBytes } from 'node:crypto'
import type { JWK } from 'oidc-provider'

function privateJwk(type: 'rsa' | 'ec', alg: string): JWK {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = privateKey.export({ format: 'jwk' }) as JWK
  return { ...jwk, alg, use: 'sig', kid: `${alg.toLowerCase()}-${randomBytes(6).toString('hex')}` }
}

/**
 * Fresh signing keys for one provider start: RS256 first (the default for ID tokens and JWT access
 * tokens), then ES256. Nothing is persisted, so tokens from a previous run never verify.
 */
export function generateSigningKeys(): JWK[] {
  return [privateJwk('rsa', 'RS256'), privateJwk('ec', 'ES256')]
}

/** Random cookie-signing keys, new for every start. */
export function generateCookieKeys(): string[] {
  return [randomBytes(32).toString('base64url')]
}

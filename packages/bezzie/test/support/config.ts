import { MemoryAdapter } from '../../src/adapters/memory.ts'
import type { BezzieConfig } from '../../src/config.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from './constants.ts'

/** The test client's config against `issuer` with a fresh in-memory store; `extra` overrides. */
export function testConfig(issuer: string, extra: Partial<BezzieConfig> = {}): BezzieConfig {
  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    audience: AUDIENCE,
    adapter: new MemoryAdapter(),
    baseUrl: BASE_URL,
    ...extra,
  }
}

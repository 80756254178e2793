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

/**
 * False for the once-per-isolate misconfiguration notices (`config_invalid`: these test configs
 * have no `secret` on an https `baseUrl`), which suites counting reported errors leave out;
 * test/workerd/misconfiguration.test.ts covers them.
 */
export const isCounted = (e: { code: string }) => e.code !== 'config_invalid'

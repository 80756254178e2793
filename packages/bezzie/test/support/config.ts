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
 * False for the once-per-isolate misconfiguration notices about these test configs (no `secret`
 * on an https `baseUrl`; no `clientSecret`), which suites counting reported errors leave out;
 * test/workerd/error-pages.test.ts covers them.
 */
export const isCounted = (e: { code: string; message: string }) =>
  !(e.code === 'config_invalid' && /option "(clientSecret|secret)": is not set/.test(e.message))

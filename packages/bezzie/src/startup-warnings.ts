import type { ResolvedConfig } from './config.ts'
import { ConfigError } from './errors.ts'
import type { Runtime } from './runtime.ts'

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Configuration that is valid but almost certainly a mistake, visible without asking the IdP:
 * each is a {@link ConfigError} naming the option.
 */
export function misconfigurations(config: ResolvedConfig): ConfigError[] {
  const found: ConfigError[] = []
  if (config.clientSecret === undefined) {
    found.push(
      new ConfigError(
        'clientSecret',
        'is not set, so bezzie authenticates to the token endpoint with client_id alone (a public ' +
          'client). A BFF is meant to be a confidential client: if the IdP registered this client ' +
          'with a secret, every login fails after the user signs in, with invalid_client. Set ' +
          'clientSecret from a Workers secret.',
      ),
    )
  }
  if (config.secrets.length === 0 && !LOOPBACK.has(config.baseUrl.hostname)) {
    found.push(
      new ConfigError(
        'secret',
        `is not set for ${config.origin}: session records (refresh tokens included) are stored ` +
          'unencrypted and every GET /login costs a store write. Set a random secret of at ' +
          'least 32 characters from a Workers secret.',
      ),
    )
  }
  return found
}

/** Configurations already reported in this isolate (Workers create the app per request). */
const reported = new Set<string>()
/** Runtimes already checked: the per-request check is one lookup, no string built. */
const checked = new WeakSet<Runtime>()

/**
 * Reports {@link misconfigurations} through `onError` at the first request an instance with this
 * configuration serves, once per isolate, however often `createBezzie` runs.
 */
export function reportMisconfigurationOnce(rt: Runtime): void {
  if (checked.has(rt)) return
  checked.add(rt)
  const { config } = rt
  const key = `${config.issuer.href} ${config.clientId} ${config.origin}`
  if (reported.has(key)) return
  reported.add(key)
  for (const error of misconfigurations(config)) rt.report(error)
}

/**
 * `pnpm dev` entry point: the development OpenID Provider on http://localhost:4010.
 * Environment: IDP_PORT (default 4010), ACCESS_TOKEN_TTL (seconds, default 300),
 * ROTATE_REFRESH_TOKENS (`true`/`1` to rotate), BACKCHANNEL_LOGOUT_URI (default
 * http://localhost:8787/auth/backchannel-logout; empty to register none), and for other apps
 * IDP_REDIRECT_URIS, IDP_POST_LOGOUT_REDIRECT_URIS and IDP_CLIENTS (see env-clients.ts).
 */
import { DEMO_PASSWORD, demoUsers } from './accounts.ts'
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, devClient } from './dev-client.ts'
import { ClientsEnvError, clientsFromEnv, type EnvClients, withExtra } from './env-clients.ts'
import { startIdp } from './start-idp.ts'

function integerEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`)
    process.exit(1)
  }
  return value
}

function booleanEnv(name: string): boolean {
  return ['1', 'true', 'yes', 'on'].includes((process.env[name] ?? '').toLowerCase())
}

const backchannelLogoutUri =
  process.env.BACKCHANNEL_LOGOUT_URI ?? 'http://localhost:8787/auth/backchannel-logout'

function envClients(): EnvClients {
  try {
    return clientsFromEnv(process.env)
  } catch (error) {
    if (!(error instanceof ClientsEnvError)) throw error
    console.error(`[idp] ${error.message}`)
    process.exit(1)
  }
}

const extra = envClients()
const dev = devClient(backchannelLogoutUri ? { backchannelLogoutUri } : {})
dev.redirect_uris = withExtra(dev.redirect_uris, extra.redirectUris)
dev.post_logout_redirect_uris = withExtra(
  dev.post_logout_redirect_uris,
  extra.postLogoutRedirectUris,
)

const idp = await startIdp({
  port: integerEnv('IDP_PORT', 4010),
  accessTokenTtl: integerEnv('ACCESS_TOKEN_TTL', 300),
  rotateRefreshTokens: booleanEnv('ROTATE_REFRESH_TOKENS'),
  dpopNonces: booleanEnv('IDP_DPOP_NONCES'),
  clients: [dev, ...extra.clients],
  testEndpoints: true,
}).catch((error: unknown) => {
  console.error(`[idp] could not start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})

console.log(`[idp] OpenID Provider (development only) at ${idp.issuer}`)
console.log(`[idp] discovery: ${idp.issuer}/.well-known/openid-configuration`)
console.log(`[idp] client: ${DEV_CLIENT_ID} / ${DEV_CLIENT_SECRET}`)
console.log(`[idp] ${DEV_CLIENT_ID} redirect URIs: ${dev.redirect_uris?.join(', ')}`)
for (const client of extra.clients) {
  console.log(`[idp] client: ${client.client_id} → ${client.redirect_uris?.join(', ')}`)
}
if (backchannelLogoutUri) console.log(`[idp] back-channel logout → ${backchannelLogoutUri}`)
console.log(
  `[idp] users (password "${DEMO_PASSWORD}"): ${demoUsers.map((user) => `${user.username} (${user.name})`).join(', ')}`,
)

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  console.log(`[idp] ${signal}: stopping`)
  await idp.stop()
  process.exit(0)
}
process.once('SIGINT', () => void shutdown('SIGINT'))
process.once('SIGTERM', () => void shutdown('SIGTERM'))

/**
 * `pnpm dev` entry point: the development OpenID Provider on http://localhost:4010.
 * Environment: IDP_PORT (default 4010), ACCESS_TOKEN_TTL (seconds, default 300),
 * ROTATE_REFRESH_TOKENS (`true`/`1` to rotate), BACKCHANNEL_LOGOUT_URI (default
 * http://localhost:8787/auth/backchannel-logout; empty to register none).
 */
import { DEMO_PASSWORD, demoUsers } from './accounts.ts'
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, devClient } from './dev-client.ts'
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

const idp = await startIdp({
  port: integerEnv('IDP_PORT', 4010),
  accessTokenTtl: integerEnv('ACCESS_TOKEN_TTL', 300),
  rotateRefreshTokens: booleanEnv('ROTATE_REFRESH_TOKENS'),
  clients: [devClient(backchannelLogoutUri ? { backchannelLogoutUri } : {})],
  testEndpoints: true,
}).catch((error: unknown) => {
  console.error(`[idp] could not start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})

console.log(`[idp] OpenID Provider (development only) at ${idp.issuer}`)
console.log(`[idp] discovery: ${idp.issuer}/.well-known/openid-configuration`)
console.log(`[idp] client: ${DEV_CLIENT_ID} / ${DEV_CLIENT_SECRET}`)
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

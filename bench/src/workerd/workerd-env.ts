import type { Idp } from '@bezzie/idp'
import { freePort } from '@bezzie/test-support/free-port'
import { BENCH_SECRET } from '../lib/bezzie-app.ts'
import { AUDIENCE, BEZZIE_CLIENT, OIDC_AUTH_CLIENT, startBenchIdp } from '../lib/idp.ts'
import { OIDC_AUTH_SESSION_SECRET } from '../overhead/oidc-auth-app.ts'
import { type DevWorker, startDevWorker } from './wrangler-dev.ts'

export const STORES = ['kv', 'kvc', 'do'] as const
export const PROFILES = ['long', 'refresh', 'short'] as const
export const ENCODINGS = ['plain', 'secret'] as const
/** Access-token lifetime (s) at the short IdP; the worker's `short` profile refreshes 2 s before expiry. */
export const SHORT_TOKEN_TTL = 4
export const SHORT_BUFFER = 2

/** Everything the workerd sections share: one `wrangler dev`, the IdPs it talks to. */
export interface WorkerdEnv {
  origin: string
  worker: DevWorker
  /** Long-lived access tokens (3600 s), no rotation. */
  idp: Idp
  /** Seconds-long access tokens, refresh-token rotation on (storms). */
  idpShort: Idp
  /** Base URL of the `/x/<store>/<profile>/<enc>` routes. */
  prefix(store: string, profile: string, enc: string): string
  stop(): Promise<void>
}

export async function startWorkerdEnv(): Promise<WorkerdEnv> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const mounts = ['', '/mem', '/mem-secret', '/mem-validate']
  for (const s of STORES)
    for (const p of PROFILES) for (const e of ENCODINGS) mounts.push(`/x/${s}/${p}/${e}`)
  const idp = await startBenchIdp({ accessTokenTtl: 3600, origins: [origin], mounts })
  const idpShort = await startBenchIdp({
    accessTokenTtl: SHORT_TOKEN_TTL,
    rotateRefreshTokens: true,
    origins: [origin],
    mounts,
  })
  try {
    const worker = await startDevWorker(
      {
        ISSUER: idp.issuer,
        ISSUER_SHORT: idpShort.issuer,
        CLIENT_ID: BEZZIE_CLIENT.clientId,
        CLIENT_SECRET: BEZZIE_CLIENT.clientSecret,
        AUDIENCE,
        BASE_URL: origin,
        SECRET: BENCH_SECRET,
        OIDC_AUTH_CLIENT_ID: OIDC_AUTH_CLIENT.clientId,
        OIDC_AUTH_CLIENT_SECRET: OIDC_AUTH_CLIENT.clientSecret,
        OIDC_AUTH_SESSION_SECRET,
      },
      port,
    )
    return {
      origin,
      worker,
      idp,
      idpShort,
      prefix: (store, profile, enc) => `${origin}/x/${store}/${profile}/${enc}`,
      async stop() {
        await worker.stop()
        await idp.stop()
        await idpShort.stop()
      },
    }
  } catch (err) {
    await idp.stop()
    await idpShort.stop()
    throw err
  }
}

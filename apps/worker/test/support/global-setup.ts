import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Idp, startIdp } from '@bezzie/idp'
import type { TestProject } from 'vitest/node'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from './constants.ts'
import { freePort, startWranglerDev, type WranglerDev } from './wrangler-dev.ts'

/**
 * The Worker's real neighbours on free ports: the OpenID Provider (apps/idp) and the upstream API
 * (apps/upstream-mock under `wrangler dev`, trusting that IdP). The Worker under test runs in the
 * vitest pool's workerd and reaches both over loopback.
 */
export default async function setup(project: TestProject) {
  let idp: Idp | undefined
  let upstream: WranglerDev | undefined
  try {
    idp = await startIdp({
      port: 0,
      resource: AUDIENCE,
      clients: [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          redirect_uris: [`${BASE_URL}/auth/callback`],
          post_logout_redirect_uris: [`${BASE_URL}/`],
        },
      ],
    })
    upstream = await startWranglerDev(
      join(dirname(fileURLToPath(import.meta.url)), '../../../upstream-mock'),
      { vars: { ISSUER: idp.issuer, AUDIENCE } },
    )
  } catch (error) {
    await upstream?.stop()
    await idp?.stop()
    throw error
  }
  project.provide('issuer', idp.issuer)
  project.provide('upstreamUrl', upstream.url)
  project.provide('unreachableUrl', `http://127.0.0.1:${await freePort()}`)
  return async () => {
    await upstream?.stop()
    await idp?.stop()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    issuer: string
    upstreamUrl: string
    unreachableUrl: string
  }
}

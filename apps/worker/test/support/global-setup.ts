import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Idp } from '@bezzie/idp'
import { freePort } from '@bezzie/test-support/free-port'
import { startIdpForBff } from '@bezzie/test-support/idp'
import { startWrangler, type WranglerProcess } from '@bezzie/test-support/wrangler'
import type { TestProject } from 'vitest/node'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from './constants.ts'

/**
 * The Worker's real neighbours on free ports: the OpenID Provider (apps/idp) and the upstream API
 * (apps/upstream-mock under `wrangler dev`, trusting that IdP). The Worker under test runs in the
 * vitest pool's workerd and reaches both over loopback.
 */
export default async function setup(project: TestProject) {
  let idp: Idp | undefined
  let upstream: WranglerProcess | undefined
  try {
    idp = await startIdpForBff(
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, origins: [BASE_URL] },
      { resource: AUDIENCE },
    )
    upstream = await startWrangler({
      cwd: join(dirname(fileURLToPath(import.meta.url)), '../../../upstream-mock'),
      vars: { ISSUER: idp.issuer, AUDIENCE },
    })
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

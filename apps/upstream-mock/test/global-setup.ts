import { createServer } from 'node:net'
import { type Idp, startIdp } from '@bezzie/idp'
import type { TestProject } from 'vitest/node'
import { loginForTokens } from './login-for-tokens.ts'

/** Seconds an access token from the short-lived IdP stays valid. */
const SHORT_TTL = 1

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * Starts real OpenID Providers on free ports: the one the Worker trusts (`ISSUER` binding); one
 * whose access tokens expire after a second, standing in for both "another issuer" and "an
 * expired token with a valid signature"; and one for fault injection and request counting, which
 * only the outage tests touch, so no other test file disturbs its counts.
 */
export default async function setup(project: TestProject) {
  const idps: Idp[] = []
  try {
    const idp = await startIdp({ port: 0 })
    idps.push(idp)
    const shortLived = await startIdp({ port: 0, accessTokenTtl: SHORT_TTL })
    idps.push(shortLived)
    const faulty = await startIdp({ port: 0 })
    idps.push(faulty)

    const alice = await loginForTokens(idp.issuer, 'alice')
    const bob = await loginForTokens(idp.issuer, 'bob')
    const shortLivedAlice = await loginForTokens(shortLived.issuer, 'alice')
    const faultyAlice = await loginForTokens(faulty.issuer, 'alice')

    project.provide('issuer', idp.issuer)
    project.provide('shortLivedIssuer', shortLived.issuer)
    project.provide('unreachableIssuer', `http://127.0.0.1:${await closedPort()}`)
    project.provide('aliceAccessToken', alice.access_token)
    project.provide('aliceIdToken', alice.id_token)
    project.provide('bobAccessToken', bob.access_token)
    project.provide('shortLivedAccessToken', shortLivedAlice.access_token)
    project.provide('faultyIssuer', faulty.issuer)
    project.provide('faultyAccessToken', faultyAlice.access_token)
  } catch (error) {
    await Promise.all(idps.map((idp) => idp.stop()))
    throw error
  }
  return async () => {
    await Promise.all(idps.map((idp) => idp.stop()))
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    issuer: string
    shortLivedIssuer: string
    unreachableIssuer: string
    aliceAccessToken: string
    aliceIdToken: string
    bobAccessToken: string
    shortLivedAccessToken: string
    faultyIssuer: string
    faultyAccessToken: string
  }
}

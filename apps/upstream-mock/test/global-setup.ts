import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, type Idp, startIdp } from '@bezzie/idp'
import { freePort } from '@bezzie/test-support/free-port'
import { loginForTokens } from '@bezzie/test-support/idp'
import type { TestProject } from 'vitest/node'

/** Seconds an access token from the short-lived IdP stays valid. */
const SHORT_TTL = 1

/** Logs a demo user in as the IdP's default `bezzie-dev` client and returns its tokens. */
function tokensFor(issuer: string, username: string) {
  return loginForTokens(issuer, {
    clientId: DEV_CLIENT_ID,
    clientSecret: DEV_CLIENT_SECRET,
    redirectUri: 'http://localhost:8787/auth/callback',
    scope: 'openid profile email read:notes write:notes',
    username,
  })
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

    const alice = await tokensFor(idp.issuer, 'alice')
    const bob = await tokensFor(idp.issuer, 'bob')
    const shortLivedAlice = await tokensFor(shortLived.issuer, 'alice')
    const faultyAlice = await tokensFor(faulty.issuer, 'alice')

    project.provide('issuer', idp.issuer)
    project.provide('shortLivedIssuer', shortLived.issuer)
    project.provide('unreachableIssuer', `http://127.0.0.1:${await freePort()}`)
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

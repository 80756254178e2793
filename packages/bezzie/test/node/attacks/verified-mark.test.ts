import type { Idp } from '@bezzie/idp'
import { startIdpForBff } from '@bezzie/test-support/idp'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { MemoryAdapter } from '../../../src/adapters/memory.ts'
import { TEST_CLOCK } from '../../../src/clock.ts'
import { resolveConfig } from '../../../src/config.ts'
import { clearDiscoveryCache } from '../../../src/oidc/discovery.ts'
import { forgetVerifiedTokens } from '../../../src/oidc/jwks.ts'
import { accessTokenTrustedNow } from '../../../src/oidc/tokens.ts'
import { resetRefreshState } from '../../../src/refresh.ts'
import { sessionKey } from '../../../src/session/keys.ts'
import { nodeCrypto } from '../../../src/session/node-crypto.ts'
import { parseRecord, type SessionRecord } from '../../../src/session/record.ts'
import { testApp } from '../../support/app.ts'
import type { Browser } from '../../support/browser.ts'
import { testClock } from '../../support/clock.ts'
import { AUDIENCE, BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../../support/constants.ts'
import { login } from '../../support/login.ts'

// With validateAccessToken, bezzie verifies an access token when it writes it (login, refresh)
// and keeps a mark of that in the session record: a read in an isolate that has not verified the
// token itself (a new isolate, or more sessions than its memo holds) checks only that the key the
// mark names is still published and that exp/nbf hold, instead of the RSA signature. These tests
// attack that shortcut. A "cold read" is a request after forgetVerifiedTokens(): the isolate's
// memo empty, as in a new isolate.

let idp: Idp
const client = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, origins: [BASE_URL] }

beforeAll(async () => {
  // Its own IdP: one test rotates its signing keys.
  idp = await startIdpForBff(client, { resource: AUDIENCE, accessTokenTtl: 3600 })
})
afterAll(async () => {
  await idp?.stop()
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  clearDiscoveryCache()
  forgetVerifiedTokens({ keys: true })
  resetRefreshState()
})

/** Signature checks bezzie makes on Node (verify-fast.ts: `node:crypto` on the request's thread). */
const signatureChecks = () => vi.spyOn(nodeCrypto as NonNullable<typeof nodeCrypto>, 'verify')

async function signedIn(extra: { now?: () => number } = {}) {
  const adapter = new MemoryAdapter()
  const { browser, errors } = testApp({
    issuer: idp.issuer,
    adapter,
    validateAccessToken: true,
    ...(extra.now ? { [TEST_CLOCK]: extra.now } : {}),
  })
  await login(browser)
  const key = await sessionKey(browser.cookies.get('__Host-session') as string)
  const read = async () => parseRecord((await adapter.get(key)) as string) as SessionRecord
  const write = (record: SessionRecord) =>
    adapter.set(key, JSON.stringify(record), { ttlSeconds: 3600 })
  return { browser, errors, read, write }
}

const whoami = (browser: Browser) => browser.get('/api/whoami')

describe('the verified mark in the session record (validateAccessToken)', () => {
  it('the login writes the mark: kid, key, issuer and audience, and the end of this very token', async () => {
    const { read } = await signedIn()
    const record = await read()
    const mark = record.accessTokenVerified
    expect(mark).toBeDefined()
    expect(record.accessTokenUnverified).toBeUndefined()
    const header = JSON.parse(
      Buffer.from(record.tokens.accessToken.split('.')[0] as string, 'base64url').toString(),
    ) as { kid: string }
    expect(mark?.kid).toBe(header.kid)
    expect(mark?.scope).toBe(`${new URL(idp.issuer).href} ${AUDIENCE}`)
    expect(record.tokens.accessToken.endsWith(mark?.tail as string)).toBe(true)
    // Small: the record is read and parsed on every request.
    expect(JSON.stringify(mark).length).toBeLessThan(160)
  })

  it('a cold read of a marked record makes no signature check; an unmarked one does', async () => {
    const { browser, read, write } = await signedIn()
    expect((await whoami(browser)).status).toBe(200)
    forgetVerifiedTokens()
    const checks = signatureChecks()
    expect((await whoami(browser)).status).toBe(200)
    expect(checks).not.toHaveBeenCalled()
    // The control, which the same spy must see: without the mark the token is verified.
    const { accessTokenVerified: _mark, ...unmarked } = await read()
    await write(unmarked)
    forgetVerifiedTokens()
    expect((await whoami(browser)).status).toBe(200)
    expect(checks).toHaveBeenCalledTimes(1)
  })

  it('a cold read of a marked record is decided without waiting on anything once discovery and keys are held', async () => {
    const { browser, read } = await signedIn()
    const config = resolveConfig({
      issuer: idp.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      audience: AUDIENCE,
      baseUrl: BASE_URL,
      adapter: new MemoryAdapter(),
      validateAccessToken: true,
    })
    const record = await read()
    forgetVerifiedTokens()
    // The middleware's synchronous check: the mark holds against the held keys.
    expect(accessTokenTrustedNow(config, record)).toBe(true)
    // It says nothing it cannot know: another audience's mark, a token it does not name.
    const mark = record.accessTokenVerified as NonNullable<SessionRecord['accessTokenVerified']>
    forgetVerifiedTokens()
    const foreign = { ...mark, scope: `${new URL(idp.issuer).href} https://other-api.example` }
    expect(accessTokenTrustedNow(config, { ...record, accessTokenVerified: foreign })).toBe(false)
    const { accessTokenVerified: _mark, ...unmarked } = record
    expect(accessTokenTrustedNow(config, unmarked)).toBe(false)
    // Without discovery held (a new isolate) it answers "ask the full check", which still admits.
    clearDiscoveryCache()
    expect(accessTokenTrustedNow(config, record)).toBe(false)
    const checks = signatureChecks()
    expect((await whoami(browser)).status).toBe(200)
    expect(checks).not.toHaveBeenCalled()
  })

  it('a record without the marker (written by an older version) is still verified', async () => {
    const { browser, read, write } = await signedIn()
    const { accessTokenVerified: _mark, ...older } = await read()
    await write(older)
    forgetVerifiedTokens()
    const checks = signatureChecks()
    expect((await whoami(browser)).status).toBe(200)
    expect(checks).toHaveBeenCalledTimes(1)
    // And the reader never writes a mark it did not verify at write time (no extra store write).
    expect((await read()).accessTokenVerified).toBeUndefined()
  })

  it('a verified marker for another audience is not trusted', async () => {
    const { browser, read, write } = await signedIn()
    const record = await read()
    const mark = record.accessTokenVerified as NonNullable<SessionRecord['accessTokenVerified']>
    await write({
      ...record,
      accessTokenVerified: {
        ...mark,
        scope: `${new URL(idp.issuer).href} https://other-api.example`,
      },
    })
    forgetVerifiedTokens()
    const checks = signatureChecks()
    expect((await whoami(browser)).status).toBe(200)
    expect(checks).toHaveBeenCalledTimes(1)
  })

  it('a mark never vouches for another token than its own (a stale mark beside a new token is ignored)', async () => {
    const alice = await signedIn()
    const bob = await signedIn()
    const record = await alice.read()
    // Another real token under alice's mark, as a write that replaced the token but forgot the
    // mark would leave it. (A store writer could plant any mark, as it could plant any claims:
    // the mark is trusted as the record is, see docs/threat-model.md.)
    const other = (await bob.read()).tokens.accessToken
    await alice.write({ ...record, tokens: { ...record.tokens, accessToken: other } })
    forgetVerifiedTokens()
    const checks = signatureChecks()
    expect((await whoami(alice.browser)).status).toBe(200)
    expect(checks).toHaveBeenCalledTimes(1)
  })

  it('token signed by a key rotated out of the JWKS is refused even though the record says verified', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    const { browser, read } = await signedIn()
    const before = await read()
    expect(before.accessTokenVerified).toBeDefined()
    const grants = idp.counts['grant:refresh_token'] ?? 0
    // A key compromise: the IdP stops publishing the key at once. Once bezzie's copy of the key
    // set is due again (10 minutes), another login fetches the new set: it is fresh, and the key
    // alice's mark names is not in it.
    await idp.rotateKeys('hard')
    vi.setSystemTime(Date.now() + 11 * 60_000)
    const jwksFetches = idp.counts.jwks ?? 0
    await signedIn()
    expect(idp.counts.jwks).toBe(jwksFetches + 1)
    forgetVerifiedTokens()
    const res = await whoami(browser)
    // The stored token was refused: one refresh (the existing path), and the new token verifies.
    expect(idp.counts['grant:refresh_token'] ?? 0).toBe(grants + 1)
    expect(res.status).toBe(200)
    const after = await read()
    expect(after.tokens.accessToken).not.toBe(before.tokens.accessToken)
    expect(after.accessTokenVerified?.kid).not.toBe(before.accessTokenVerified?.kid)
  })

  it('a refresh with the keys at hand writes the mark of the new token, not the old one', async () => {
    const clock = testClock({ frozen: true })
    const { browser, read } = await signedIn({ now: clock.now })
    const before = await read()
    clock.advance(3600_000)
    expect((await whoami(browser)).status).toBe(200)
    const after = await read()
    expect(after.tokens.accessToken).not.toBe(before.tokens.accessToken)
    expect(after.accessTokenUnverified).toBeUndefined()
    expect(after.tokens.accessToken.endsWith(after.accessTokenVerified?.tail as string)).toBe(true)
    // And a cold read of the refreshed record trusts the mark.
    forgetVerifiedTokens()
    const checks = signatureChecks()
    expect((await whoami(browser)).status).toBe(200)
    expect(checks).not.toHaveBeenCalled()
  })

  it('a refresh while the keys are not at hand stores the tokens unverified first, as before (no mark)', async () => {
    const clock = testClock({ frozen: true })
    const { browser, read } = await signedIn({ now: clock.now })
    clock.advance(3600_000)
    // A new isolate: no key set held, so verifying the new token would need an IdP call.
    forgetVerifiedTokens({ keys: true })
    expect((await whoami(browser)).status).toBe(200)
    const after = await read()
    expect(after.accessTokenVerified).toBeUndefined()
    expect(after.accessTokenUnverified).toBe(true)
  })
})

import { describe, expect, inject, it } from 'vitest'
import { bearer, fetchWorkerWith } from './fetch-worker.ts'

/*
 * These tests run in order against an IdP no other test file uses: the key set is cached per
 * issuer for the life of the isolate, so the failures must come before the first success.
 */
const issuer = () => inject('faultyIssuer')
const me = () =>
  fetchWorkerWith({ ISSUER: issuer() }, '/api/me', bearer(inject('faultyAccessToken')))

/**
 * Arms one failing answer; a reset twice. workerd (1.20261117, what `wrangler dev` runs) sends a GET
 * again when its connection is reset before any response — the IdP counts two discovery requests
 * for one fetch — so a single reset never reaches the Worker's code.
 */
async function injectFault(endpoint: 'discovery' | 'jwks', mode: 'http500' | 'reset') {
  const response = await fetch(`${issuer()}/__idp/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ endpoint, mode, times: mode === 'reset' ? 2 : 1 }),
  })
  expect(response.status).toBe(204)
}

async function idpCounts(): Promise<Record<string, number>> {
  return (await (await fetch(`${issuer()}/__idp/counts`)).json()) as Record<string, number>
}

async function expectIssuerUnavailable(response: Response, status: 502 | 503) {
  expect(response.status).toBe(status)
  const text = await response.text()
  expect(JSON.parse(text)).toEqual({ error: 'issuer_unavailable', message: expect.any(String) })
  expect(text).not.toMatch(/\bat .+:\d+:\d+/)
}

describe('when the OpenID Provider misbehaves', () => {
  it('answers 503 when the issuer is unreachable', async () => {
    const response = await fetchWorkerWith(
      { ISSUER: inject('unreachableIssuer') },
      '/api/me',
      bearer(inject('aliceAccessToken')),
    )
    await expectIssuerUnavailable(response, 503)
  })

  it('answers 502 when discovery names another issuer (mix-up)', async () => {
    const alias = issuer().replace('localhost', '127.0.0.1')
    const response = await fetchWorkerWith({ ISSUER: alias }, '/api/me', bearer('x.y.z'))
    await expectIssuerUnavailable(response, 502)
  })

  it('answers 502 when discovery fails with HTTP 500', async () => {
    await injectFault('discovery', 'http500')
    await expectIssuerUnavailable(await me(), 502)
  })

  it('answers 503 when the discovery connection is reset', async () => {
    await injectFault('discovery', 'reset')
    await expectIssuerUnavailable(await me(), 503)
  })

  it('answers 502 when the JWKS request fails with HTTP 500', async () => {
    await injectFault('jwks', 'http500')
    await expectIssuerUnavailable(await me(), 502)
  })

  it('answers 503 when the JWKS connection is reset', async () => {
    await injectFault('jwks', 'reset')
    await expectIssuerUnavailable(await me(), 503)
  })

  it('recovers once the provider is back: failures are not cached', async () => {
    const response = await me()
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ sub: 'alice', receivedAuthorization: true })
  })

  it('makes no call to the provider for a steady-state request', async () => {
    expect((await me()).status).toBe(200)
    const before = await idpCounts()
    for (let i = 0; i < 3; i++) expect((await me()).status).toBe(200)
    const after = await idpCounts()
    expect(after.discovery ?? 0).toBe(before.discovery ?? 0)
    expect(after.jwks ?? 0).toBe(before.jwks ?? 0)
  })
})

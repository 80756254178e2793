import * as oauth from 'oauth4webapi'
import { DiscoveryError } from '../errors.ts'
import { idpRequestOptions } from './http.ts'

/** How long (in milliseconds) discovery metadata stays cached in the isolate. */
export const DISCOVERY_TTL_MS = 60 * 60 * 1000

interface Entry {
  value: Promise<oauth.AuthorizationServer>
  /** The metadata once `value` has settled with it, for the synchronous {@link heldDiscovery}. */
  settled?: oauth.AuthorizationServer
  expiresAt: number
}

// Module (isolate) level on purpose: createBezzie() may run per request, discovery must not.
const cache = new Map<string, Entry>()

/**
 * The issuer's authorization server metadata, fetched at most once per TTL per isolate;
 * concurrent cold callers share one in-flight request. Failures are not cached.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export function discover(issuer: URL, insecure: boolean): Promise<oauth.AuthorizationServer> {
  const key = issuer.href
  const hit = cache.get(key)
  if (hit && hit.expiresAt > Date.now()) return hit.value
  const entry: Entry = { value: undefined as never, expiresAt: Date.now() + DISCOVERY_TTL_MS }
  entry.value = (async () => {
    try {
      const response = await oauth.discoveryRequest(issuer, {
        ...idpRequestOptions(insecure),
        algorithm: 'oidc',
      })
      entry.settled = await oauth.processDiscoveryResponse(issuer, response)
      return entry.settled
    } catch (e) {
      if (cache.get(key) === entry) cache.delete(key)
      throw new DiscoveryError(discoveryFailure(issuer, e), e)
    }
  })()
  cache.set(key, entry)
  return entry.value
}

/**
 * The issuer's metadata if {@link discover} already holds it (fetched, unexpired), else
 * `undefined`. Synchronous: for checks on the steady-state request that must not wait on a promise.
 */
export function heldDiscovery(issuer: URL): oauth.AuthorizationServer | undefined {
  const hit = cache.get(issuer.href)
  return hit && hit.expiresAt > Date.now() ? hit.settled : undefined
}

/**
 * The most common misconfiguration — an `issuer` that differs from the one the IdP names in its
 * own metadata (`127.0.0.1` vs `localhost`, a missing trailing slash) — gets a message that says
 * so instead of hiding it in `cause`.
 */
function discoveryFailure(issuer: URL, e: unknown): string {
  const base = `OpenID Provider discovery failed for ${issuer.href}`
  if (e instanceof oauth.OperationProcessingError && e.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
    const body = (e.cause as { body?: { issuer?: unknown } } | undefined)?.body
    const named = typeof body?.issuer === 'string' ? JSON.stringify(body.issuer) : 'another issuer'
    return `${base}: the IdP's metadata names the issuer ${named}; set \`issuer\` to exactly that value`
  }
  return base
}

/**
 * Test seam: seeds the discovery cache so unit tests need no network. Not exported from the
 * package entry points.
 */
export function primeDiscovery(metadata: oauth.AuthorizationServer): void {
  cache.set(new URL(metadata.issuer).href, {
    value: Promise.resolve(metadata),
    settled: metadata,
    expiresAt: Date.now() + DISCOVERY_TTL_MS,
  })
}

/** Test seam: forgets every cached discovery document. */
export function clearDiscoveryCache(): void {
  cache.clear()
}

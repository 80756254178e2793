import type { Context } from 'hono'
import type { ResolvedConfig } from '../config.ts'
import {
  clearTransactionCookie,
  isTransactionState,
  pruneTransactionCookies,
  readTransactionCookie,
  setTransactionCookie,
  type TransactionCookieBudget,
  transactionCookieBytes,
} from '../cookies.ts'
import { open, seal } from './crypto.ts'
import { isWellFormedId, randomId } from './id.ts'
import type { SessionStore } from './store.ts'

/** Lifetime of a login transaction (in seconds): the time a user has to finish logging in. */
export const TRANSACTION_TTL_SECONDS = 600

/**
 * Transaction cookies one browser may hold at once: 3 unfinished logins (tabs) and 3.5 KB in all,
 * so the Cookie header bezzie causes stays far below the 8 KB many servers and proxies accept
 * (a larger header is answered 431 on every request to the site until the cookies expire).
 */
export const TRANSACTION_COOKIE_BUDGET: TransactionCookieBudget = { maxCount: 3, maxBytes: 3584 }

/**
 * Longest `returnTo` (bytes of its JSON form) a sealed transaction cookie carries, so one such
 * cookie stays near 1 KB; a login with a longer one keeps its transaction in the store instead.
 */
export const MAX_COOKIE_RETURN_TO_BYTES = 512

/** State carried from `GET /login` to `GET /callback`. */
export interface LoginTransaction {
  state: string
  nonce: string
  codeVerifier: string
  returnTo: string
  /**
   * The `max_age` (in seconds) the authorization request carried, if any: the ID token's
   * `auth_time` must then be present and recent enough.
   */
  maxAge?: number
  /** The `acr_values` the authorization request carried, if any (space-separated). */
  acrValues?: string
  /** Epoch seconds. */
  createdAt: number
}

function parse(json: string | null): LoginTransaction | null {
  if (json === null) return null
  try {
    const t = JSON.parse(json) as Partial<LoginTransaction>
    if (
      typeof t.state === 'string' &&
      typeof t.nonce === 'string' &&
      typeof t.codeVerifier === 'string' &&
      typeof t.returnTo === 'string' &&
      typeof t.createdAt === 'number' &&
      (t.maxAge === undefined || typeof t.maxAge === 'number') &&
      (t.acrValues === undefined || typeof t.acrValues === 'string') &&
      t.createdAt + TRANSACTION_TTL_SECONDS > Date.now() / 1000
    ) {
      return t as LoginTransaction
    }
  } catch {}
  return null
}

const jsonBytes = (value: string) => new TextEncoder().encode(JSON.stringify(value)).length

/**
 * What a transaction is bound to: the instance (issuer, client, callback URL) that started it.
 * Two bezzie instances in one app (two IdPs) never complete each other's logins.
 */
const instanceOf = (config: ResolvedConfig) =>
  `${config.issuer.href} ${config.clientId} ${config.redirectUri}`

/**
 * Saves the transaction so that only this browser can complete it: with a `secret`, sealed into
 * a cookie (no store write) unless its `returnTo` is too long for one; otherwise in the store
 * (sealed when there is a secret) under the hash of a random id that only this browser's cookie
 * holds (login CSRF binding). Transaction cookies stay within {@link TRANSACTION_COOKIE_BUDGET}.
 */
export async function saveTransaction(
  c: Context,
  config: ResolvedConfig,
  store: SessionStore,
  tx: LoginTransaction,
) {
  const spec = config.cookie
  const { secrets } = config
  let value: string
  if (secrets.length && jsonBytes(tx.returnTo) <= MAX_COOKIE_RETURN_TO_BYTES) {
    value = await seal(secrets, 'transaction', JSON.stringify(tx), sealContext(config, tx.state))
  } else {
    value = randomId()
    const json = JSON.stringify({ ...tx, instance: instanceOf(config) })
    // With a secret, what the store holds is encrypted too (it carries the PKCE verifier).
    const stored = secrets.length
      ? await seal(secrets, 'transaction', json, storedContext(value))
      : json
    await store.saveTransaction(value, stored, TRANSACTION_TTL_SECONDS)
  }
  const bytes = transactionCookieBytes(spec, tx.state, value)
  pruneTransactionCookies(c, spec, TRANSACTION_COOKIE_BUDGET, bytes)
  setTransactionCookie(c, spec, tx.state, value, TRANSACTION_TTL_SECONDS)
}

/** What a transaction kept in the store is sealed to: its id, so it opens only where it was put. */
const storedContext = (id: string) => `bezzie-tx-stored:${id}`

const sealContext = (config: ResolvedConfig, state: string) =>
  `bezzie-tx:${instanceOf(config)}:${state}`

/**
 * Marks a sealed transaction as used until it would have expired anyway; `false` when it was
 * used before (a replayed cookie). The store's own one-use deletion covers the unsealed kind.
 */
async function firstUse(store: SessionStore, tx: LoginTransaction): Promise<boolean> {
  const left = tx.createdAt + TRANSACTION_TTL_SECONDS - Math.floor(Date.now() / 1000)
  return store.markTransactionUsed(tx.state, left)
}

/**
 * Loads and consumes (one use) this browser's transaction for the callback's `state`; `null` when
 * this browser started no such login, when this instance did not start it (its cookie is then
 * left for the instance that did), or when it was used before.
 */
export async function takeTransaction(
  c: Context,
  config: ResolvedConfig,
  store: SessionStore,
  state: string | undefined,
): Promise<LoginTransaction | null> {
  if (!isTransactionState(state)) return null
  const value = readTransactionCookie(c, config.cookie, state)
  if (!value) return null
  const { secrets } = config
  if (secrets.length && value.startsWith('v1.')) {
    const tx = parse(await open(secrets, 'transaction', value, sealContext(config, state)))
    if (!tx) return null
    clearTransactionCookie(c, config.cookie, state)
    return (await firstUse(store, tx)) ? tx : null
  }
  if (!isWellFormedId(value)) return null
  const stored = await store.readTransaction(value)
  const json =
    secrets.length && stored
      ? await open(secrets, 'transaction', stored, storedContext(value))
      : stored
  const tx = parse(json)
  if (!tx || (tx as { instance?: string }).instance !== instanceOf(config)) return null
  clearTransactionCookie(c, config.cookie, state)
  await store.deleteTransaction(value)
  return tx
}

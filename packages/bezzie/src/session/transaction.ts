import type { Context } from 'hono'
import type { ResolvedConfig } from '../config.ts'
import {
  clearTransactionCookie,
  isTransactionState,
  pruneTransactionCookies,
  readTransactionCookie,
  setTransactionCookie,
} from '../cookies.ts'
import { StoreError } from '../errors.ts'
import { open, seal } from './crypto.ts'
import { isWellFormedId, randomId, transactionKey } from './id.ts'

/** Lifetime of a login transaction (in seconds): the time a user has to finish logging in. */
export const TRANSACTION_TTL_SECONDS = 600
/** Unfinished logins (tabs) a browser may have at once before old transaction cookies are dropped. */
const MAX_PARALLEL_LOGINS = 5

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

async function storeOp<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (e) {
    throw new StoreError('store_failed', 'session store unavailable for the login transaction', e)
  }
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

/**
 * Saves the transaction so that only this browser can complete it: with a `secret`, sealed into
 * a cookie (no store write); without, in the store under the hash of a random id that only this
 * browser's cookie holds (login CSRF binding).
 */
export async function saveTransaction(c: Context, config: ResolvedConfig, tx: LoginTransaction) {
  const json = JSON.stringify(tx)
  pruneTransactionCookies(c, config.cookie, MAX_PARALLEL_LOGINS)
  if (config.secrets.length) {
    const sealed = await seal(config.secrets, 'transaction', json, `bezzie-tx:${tx.state}`)
    setTransactionCookie(c, config.cookie, tx.state, sealed, TRANSACTION_TTL_SECONDS)
    return
  }
  const id = randomId()
  const key = await transactionKey(id)
  await storeOp(() => config.adapter.set(key, json, { ttlSeconds: TRANSACTION_TTL_SECONDS }))
  setTransactionCookie(c, config.cookie, tx.state, id, TRANSACTION_TTL_SECONDS)
}

/**
 * Loads and consumes (one use) this browser's transaction for the callback's `state`; `null` when
 * this browser started no such login.
 */
export async function takeTransaction(
  c: Context,
  config: ResolvedConfig,
  state: string | undefined,
): Promise<LoginTransaction | null> {
  if (!isTransactionState(state)) return null
  const value = readTransactionCookie(c, config.cookie, state)
  if (!value) return null
  clearTransactionCookie(c, config.cookie, state)
  if (config.secrets.length) {
    return parse(await open(config.secrets, 'transaction', value, `bezzie-tx:${state}`))
  }
  if (!isWellFormedId(value)) return null
  const key = await transactionKey(value)
  const json = await storeOp(() => config.adapter.get(key))
  if (json !== null) await storeOp(() => config.adapter.delete(key))
  return parse(json)
}

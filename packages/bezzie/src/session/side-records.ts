import type { ResolvedConfig } from '../config.ts'
import { StoreError } from '../errors.ts'
import { openValue, sealValue } from './codec.ts'
import { type GuardedAdapter, guardAdapter } from './guarded-adapter.ts'
import { dpopKeyKey, jtiKey, resourceTokenKey, transactionKey, usedTransactionKey } from './keys.ts'
import { nowSeconds } from './record.ts'

/** Store TTL floor: Cloudflare KV rejects `expirationTtl` below 60 seconds. */
export const MIN_TTL = 60

/**
 * How long (in seconds) a generated DPoP key is kept: ten years, i.e. for good. A key that
 * vanished is generated again, and tokens bound to the old one stop working upstream until their
 * next refresh.
 */
const DPOP_KEY_TTL = 10 * 365 * 24 * 60 * 60

/** A session's access token for another API. Times are epoch seconds. */
export interface ResourceToken {
  accessToken: string
  expiresAt: number
}

/**
 * The records the store keeps beside sessions: login transactions and their one-use markers,
 * back-channel logout token ids (`jti`) seen, a session's access tokens for other APIs, and the
 * BFF's generated DPoP key. The
 * base of `SessionStore` (store.ts), which owns the adapter through the same guarded wrapper.
 */
export class SideRecords {
  protected readonly config: ResolvedConfig
  protected readonly adapter: GuardedAdapter

  constructor(config: ResolvedConfig, report: (error: StoreError) => void = () => {}) {
    this.config = config
    this.adapter = guardAdapter(config.adapter, config.timeouts.storeMs, report)
  }

  /**
   * The access token for another API (`resource`) kept beside the session under `key`, as stored
   * by {@link writeResourceToken}; `null` when missing or unreadable. Sealed like sessions when a
   * `secret` is configured.
   */
  async readResourceToken(key: string, resource: string): Promise<ResourceToken | null> {
    const tokenKey = await resourceTokenKey(key, resource)
    const raw = await this.adapter.get(tokenKey)
    if (raw === null) return null
    const json = await openValue(this.config.secrets, tokenKey, raw)
    if (json === null) return null
    try {
      const value = JSON.parse(json) as Partial<ResourceToken>
      if (typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'number') return null
      return { accessToken: value.accessToken, expiresAt: value.expiresAt }
    } catch {
      return null
    }
  }

  /** Keeps `token` for the session under `key` and `resource` until it expires. */
  async writeResourceToken(key: string, resource: string, token: ResourceToken): Promise<void> {
    const tokenKey = await resourceTokenKey(key, resource)
    const json = JSON.stringify(token)
    const value = await sealValue(this.config.secrets, tokenKey, json)
    const ttlSeconds = Math.max(MIN_TTL, token.expiresAt - nowSeconds())
    await this.adapter.set(tokenKey, value, { ttlSeconds })
  }

  /** Keeps the login transaction `id` (its value opaque here) for `ttlSeconds`. */
  async saveTransaction(id: string, value: string, ttlSeconds: number): Promise<void> {
    await this.adapter.set(await transactionKey(id), value, { ttlSeconds })
  }

  /** The login transaction `id`, or `null`. */
  async readTransaction(id: string): Promise<string | null> {
    return this.adapter.get(await transactionKey(id))
  }

  /** Deletes the login transaction `id` (one use). */
  async deleteTransaction(id: string): Promise<void> {
    await this.adapter.delete(await transactionKey(id))
  }

  /**
   * Marks the sealed login transaction of `state` used for `ttlSeconds` (raised to the store
   * minimum); `false` when it was marked before (a replayed cookie). Atomic with `setIfAbsent`.
   */
  async markTransactionUsed(state: string, ttlSeconds: number): Promise<boolean> {
    return this.#once(await usedTransactionKey(state), ttlSeconds)
  }

  async #once(key: string, ttlSeconds: number): Promise<boolean> {
    const adapter = this.adapter
    const options = { ttlSeconds: Math.max(MIN_TTL, Math.ceil(ttlSeconds)) }
    if (adapter.setIfAbsent) return adapter.setIfAbsent(key, '1', options)
    if ((await adapter.get(key)) !== null) return false
    await adapter.set(key, '1', options)
    return true
  }

  /**
   * Records `jti` on its first use and returns a way to forget it again (when the logout it
   * carried could not be done), or `null` when it was seen before. Atomic with `setIfAbsent`;
   * otherwise a read then a write, which a replay racing the original within the store's latency
   * could slip through.
   */
  async rememberOnce(jti: string, ttlSeconds: number): Promise<{ forget(): Promise<void> } | null> {
    const key = await jtiKey(jti)
    if (!(await this.#once(key, ttlSeconds))) return null
    return { forget: () => this.adapter.delete(key) }
  }

  /**
   * The BFF's DPoP private key (a JWK as JSON) for this issuer and client, kept in the store so
   * every isolate signs with the same key: the stored one, else `generate()`'s, written with
   * set-if-absent so that concurrent first uses settle on one key (the loser reads the winner's).
   * Without set-if-absent (Cloudflare KV) the last write wins. Sealed like sessions when a
   * `secret` is configured.
   */
  async dpopKey(generate: () => Promise<string>): Promise<string> {
    const key = dpopKeyKey(this.config.issuer.href, this.config.clientId)
    const secrets = this.config.secrets
    const read = async (): Promise<string | null> => {
      const raw = await this.adapter.get(key)
      return raw === null ? null : openValue(secrets, key, raw)
    }
    const stored = await read()
    if (stored !== null) return stored
    const fresh = await generate()
    const value = await sealValue(secrets, key, fresh)
    const options = { ttlSeconds: DPOP_KEY_TTL }
    if (!this.adapter.setIfAbsent) {
      await this.adapter.set(key, value, options)
      return fresh
    }
    if (await this.adapter.setIfAbsent(key, value, options)) return fresh
    const winner = await read()
    if (winner === null) throw new StoreError('store_failed', 'the DPoP key could not be read back')
    return winner
  }
}

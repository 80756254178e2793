/**
 * `bezzie/durable-object`: strongly consistent sessions on Cloudflare Durable Objects.
 *
 * @packageDocumentation
 */
export type {
  BezzieSessionStoreNamespace,
  DurableObjectAdapterOptions,
} from './adapters/durable-object.ts'
export { durableObjectAdapter } from './adapters/durable-object.ts'
export { BezzieSessionStore } from './adapters/durable-object-store.ts'
export { BezzieKVCoordinator, TOMBSTONE_MIN_SECONDS } from './adapters/kv-coordinator-object.ts'

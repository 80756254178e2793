export { cloudflareKVAdapter, type KVNamespaceLike } from './adapters/kv.ts'

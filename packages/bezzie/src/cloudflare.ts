export {
  type CloudflareKVAdapterOptions,
  cloudflareKVAdapter,
  type KVNamespaceLike,
} from './adapters/kv.ts'
export type {
  CoordinatedState,
  CoordinatedWrite,
  KVCoordinatorNamespace,
  KVCoordinatorStub,
} from './adapters/kv-coordinated.ts'

/**
 * The Node fast path: `node:crypto` on the request's own thread instead of Web Crypto, which Node
 * runs on libuv's thread pool (session/node-crypto.ts says why). Each caller keeps its Web Crypto
 * path for runtimes without it.
 *
 * The Workers build (the `workerd` and `worker` export conditions, tsdown.config.ts) replaces this
 * module with crypto.workers.ts, which has none of it: workerd runs Web Crypto on the request's
 * thread, so there `nodeCrypto` is `undefined` anyway and the Node paths are dead weight.
 */
export { nodeCrypto } from '../session/node-crypto.ts'
export { openSync } from '../session/open-sync.ts'

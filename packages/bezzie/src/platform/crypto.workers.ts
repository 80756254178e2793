import type * as Platform from './crypto.ts'

/**
 * crypto.ts in the Workers build: no `node:crypto`, so every caller takes its Web Crypto path, as
 * it does in workerd with crypto.ts.
 */
export const nodeCrypto: typeof Platform.nodeCrypto = undefined

/** Never synchronous here: the caller opens with Web Crypto (session/crypto.ts `open`). */
export const openSync: typeof Platform.openSync = () => undefined

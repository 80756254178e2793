import { dirname, join, resolve } from 'node:path'

const CRYPTO = join(import.meta.dirname, 'src/platform/crypto.ts')
const WORKERS = join(import.meta.dirname, 'src/platform/crypto.workers.ts')

/**
 * The Workers build's one difference, as a bundler plugin (Rolldown and Vite alike): every
 * import of src/platform/crypto.ts (the Node fast path) gets src/platform/crypto.workers.ts.
 * Used by the Workers build (tsdown.config.ts) and by the workerd test project
 * (vitest.config.ts), so that those tests run the module graph the Workers build ships.
 */
export const workersPlatform = {
  name: 'bezzie:workers-platform',
  // Vite: before its own resolver, which would otherwise resolve the import first.
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined): string | null {
    if (!importer || !source.startsWith('.')) return null
    return resolve(dirname(importer), source) === CRYPTO ? WORKERS : null
  },
}

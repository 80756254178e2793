import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** bench/ */
export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** The monorepo root. */
export const repoRoot = path.resolve(benchDir, '..')
export const fromRoot = (...parts: string[]) => path.join(repoRoot, ...parts)

/**
 * `pnpm dev` runs this before `wrangler dev`: a fresh clone has no `.dev.vars` (it is gitignored),
 * so the committed example, whose values only work with the local IdP, is copied into place.
 * An existing `.dev.vars` is never touched.
 */
import { copyFileSync, existsSync } from 'node:fs'

const target = new URL('../.dev.vars', import.meta.url)
if (!existsSync(target)) {
  copyFileSync(new URL('../.dev.vars.example', import.meta.url), target)
  console.log('[worker] created apps/worker/.dev.vars from .dev.vars.example (local IdP secrets)')
}

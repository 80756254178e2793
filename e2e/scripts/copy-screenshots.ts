/**
 * Copies the screenshots the last e2e run took (e2e/artifacts/screenshots) to docs/screenshots,
 * where the README shows them. Run after `pnpm --filter @bezzie/e2e test`.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const from = join(import.meta.dirname, '..', 'artifacts', 'screenshots')
const to = join(import.meta.dirname, '..', '..', 'docs', 'screenshots')
mkdirSync(to, { recursive: true })
for (const file of readdirSync(from).filter((f) => f.endsWith('.png'))) {
  copyFileSync(join(from, file), join(to, file))
  console.log(`docs/screenshots/${file}`)
}

import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

/** Where Debian's and Ubuntu's `chromium` packages install the browser. */
export const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

/**
 * Flags for a system Chromium in a container with only loopback network: headless, no sandbox
 * (root), no GPU, and no background networking, which a closed network otherwise answers with
 * refused connections.
 */
export const SYSTEM_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** The Chromium {@link findChromium} chose, as Playwright launch options, or `none`. */
export type ChromiumChoice =
  | { kind: 'system' | 'managed'; executablePath: string; args: string[] }
  | { kind: 'none' }

/**
 * The Chromium to test with, in this order: the path in `BEZZIE_E2E_CHROMIUM` (or the value
 * `none`, which acts as if no browser were installed, to exercise the skip path), the system
 * Chromium, then Playwright's own managed browser when `playwright install` has put one there.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumChoice {
  const override = env.BEZZIE_E2E_CHROMIUM
  if (override === 'none') return { kind: 'none' }
  for (const path of [override, ...SYSTEM_CHROMIUM_PATHS]) {
    if (path && existsSync(path)) {
      return { kind: 'system', executablePath: path, args: SYSTEM_CHROMIUM_ARGS }
    }
  }
  try {
    const managed = chromium.executablePath()
    if (managed && existsSync(managed))
      return { kind: 'managed', executablePath: managed, args: [] }
  } catch {
    // Playwright has no browser registered on this machine.
  }
  return { kind: 'none' }
}

/** True when `CI` is `true` or `1`: a missing browser must then fail, not skip. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['1', 'true'].includes((env.CI ?? '').toLowerCase())
}

/** The loud message a browser suite prints when it skips for want of a browser. */
export function noChromiumMessage(suite: string): string {
  const lines = [
    `${suite}: NO BROWSER FOUND — the browser tests did NOT run.`,
    '',
    'Install one of:',
    '  Debian/Ubuntu:  sudo apt-get install -y chromium      (/usr/bin/chromium)',
    '  elsewhere:      pnpm --filter @bezzie/e2e exec playwright install chromium',
    'or point BEZZIE_E2E_CHROMIUM at a Chromium binary.',
    'With CI=true a missing browser fails the run.',
  ]
  const bar = '#'.repeat(80)
  return `\n${bar}\n${lines.map((line) => (line ? `#  ${line}` : '#')).join('\n')}\n${bar}\n`
}

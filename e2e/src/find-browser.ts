import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

/** Debian/Ubuntu's chromium package. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium'

/**
 * Flags for the system Chromium in a sandboxed CI container: no sandbox (root), no GPU, and no
 * background networking, which a machine without internet access otherwise answers with
 * refused connections (TOOLCHAIN.md).
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

export type BrowserChoice =
  | { kind: 'system'; executablePath: string; args: string[] }
  | { kind: 'managed'; executablePath: string; args: string[] }
  | { kind: 'none' }

/**
 * The Chromium to test with: `BEZZIE_E2E_CHROMIUM` (a path, or `none` to act as if no browser
 * were installed), else the system one, else Playwright's own, else none.
 */
export function findBrowser(): BrowserChoice {
  const override = process.env.BEZZIE_E2E_CHROMIUM
  if (override === 'none') return { kind: 'none' }
  if (override && existsSync(override)) {
    return { kind: 'system', executablePath: override, args: SYSTEM_CHROMIUM_ARGS }
  }
  if (existsSync(SYSTEM_CHROMIUM)) {
    return { kind: 'system', executablePath: SYSTEM_CHROMIUM, args: SYSTEM_CHROMIUM_ARGS }
  }
  try {
    const managed = chromium.executablePath()
    if (managed && existsSync(managed))
      return { kind: 'managed', executablePath: managed, args: [] }
  } catch {
    // Playwright has no browser registry entry on this machine.
  }
  return { kind: 'none' }
}

export const NO_BROWSER_MESSAGE = `
################################################################################
#  @bezzie/e2e: NO BROWSER FOUND — the end-to-end suite did not run.           #
#                                                                              #
#  Install one of:                                                             #
#    Debian/Ubuntu:  sudo apt-get install -y chromium     (/usr/bin/chromium)  #
#    elsewhere:      pnpm --filter @bezzie/e2e exec playwright install chromium #
#  or point BEZZIE_E2E_CHROMIUM at a Chromium binary.                          #
#  With CI=true a missing browser fails the run.                               #
################################################################################
`

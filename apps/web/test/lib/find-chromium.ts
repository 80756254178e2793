import { existsSync } from 'node:fs'
import { chromium, type LaunchOptions } from '@playwright/test'

/** Flags that keep Chromium quiet on a machine with only loopback network (see TOOLCHAIN.md). */
const QUIET_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * How to launch a Chromium that exists on this machine: `CHROMIUM_PATH`, else the system's
 * (Debian's `/usr/bin/chromium`), else Playwright's own managed browser; `null` when none is
 * installed.
 */
export function chromiumLaunchOptions(): LaunchOptions | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  for (const path of candidates) {
    if (path && existsSync(path)) return { executablePath: path, args: QUIET_ARGS }
  }
  try {
    if (existsSync(chromium.executablePath())) return { args: QUIET_ARGS }
  } catch {
    // No managed browser registered either.
  }
  return null
}

/** Says loudly why browser tests are skipped; with `CI=true` a missing browser is an error. */
export function requireBrowserOrExplain(launch: LaunchOptions | null): boolean {
  if (launch) return true
  const message =
    'No Chromium found: browser tests are SKIPPED. Install one with `apt-get install -y chromium` ' +
    '(Debian) or `pnpm exec playwright install chromium`, or set CHROMIUM_PATH.'
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: failing instead)`)
  console.warn(`\n*** ${message} ***\n`)
  return false
}

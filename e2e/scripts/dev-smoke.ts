/**
 * The newcomer's dev loop, checked end to end: `pnpm dev` from the repository root, a real
 * sign-in in Chromium through the Vite dev server, then Ctrl-C (SIGINT to the whole process group,
 * as a terminal sends it) and every port free again. Three starts in a row by default; the second
 * one starts after deleting Vite's dependency cache.
 *
 *   pnpm --filter @bezzie/e2e dev-smoke            # three starts
 *   pnpm --filter @bezzie/e2e dev-smoke -- --runs 1
 *
 * Run it after `pnpm install` (and, to reproduce the old failure, after `pnpm test`). It exits
 * non-zero on the first failed start. Not part of `pnpm test`: it owns the fixed dev ports.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { chromium } from '@playwright/test'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SERVICE_PORTS = [4010, 8787, 8788, 5173]
/** The services plus the two wrangler inspectors. */
const ALL_PORTS = [...SERVICE_PORTS, 9230, 9231]
const APP = 'http://localhost:5173'
const BAD_OUTPUT = ['Failed to resolve import', 'Address already in use', 'Pre-transform error']

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } })
const runs = Number(values.runs)

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.setTimeout(1000)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

async function until(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 500))
  }
  return false
}

const allListening = async (ports: number[]) =>
  (await Promise.all(ports.map(listening))).every(Boolean)
const noneListening = async (ports: number[]) =>
  !(await Promise.all(ports.map(listening))).some(Boolean)

async function signIn(): Promise<string> {
  const browser = await chromium.launch({
    executablePath: process.env.BEZZIE_E2E_CHROMIUM ?? '/usr/bin/chromium',
  })
  try {
    const page = await browser.newPage()
    await page.goto(APP, { timeout: 120_000 })
    await page.getByTestId('login-button').click({ timeout: 120_000 })
    await page.waitForURL((url) => url.port === '4010', { timeout: 120_000 })
    await page.locator('input[name="username"]').fill('alice')
    await page.locator('input[name="password"]').fill('bezzie')
    await page.locator('button[type="submit"]').click()
    await page.waitForURL(`${APP}/dashboard`, { timeout: 120_000 })
    const me = (await page.evaluate(() => fetch('/auth/me').then((r) => r.json()))) as {
      user: { sub: string } | null
    }
    return me.user?.sub ?? 'signed out'
  } finally {
    await browser.close()
  }
}

async function start(run: number): Promise<string[]> {
  const problems: string[] = []
  const taken = []
  for (const port of ALL_PORTS) if (await listening(port)) taken.push(port)
  if (taken.length > 0) return [`ports already taken: ${taken.join(', ')} (another dev server?)`]
  let output = ''
  const dev: ChildProcess = spawn('pnpm', ['dev'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  dev.stdout?.on('data', (chunk) => (output += chunk))
  dev.stderr?.on('data', (chunk) => (output += chunk))
  const started = Date.now()
  try {
    if (!(await until(() => allListening(SERVICE_PORTS), 240_000))) {
      problems.push('the services did not all listen within 240 s')
      return problems
    }
    console.log(`run ${run}: all four services listening after ${Date.now() - started} ms`)
    const sub = await signIn().catch((e: Error) => `sign-in failed: ${e.message.split('\n')[0]}`)
    if (sub !== 'alice') problems.push(`expected alice signed in, got: ${sub}`)
    else console.log(`run ${run}: signed in as alice through the Vite dev server`)
  } finally {
    if (dev.pid !== undefined) process.kill(-dev.pid, 'SIGINT')
    const freed = Date.now()
    if (!(await until(() => noneListening(ALL_PORTS), 60_000))) {
      const left = []
      for (const port of ALL_PORTS) if (await listening(port)) left.push(port)
      problems.push(`ports still listening 60 s after Ctrl-C: ${left.join(', ')}`)
      if (dev.pid !== undefined) process.kill(-dev.pid, 'SIGKILL')
    } else {
      console.log(`run ${run}: every port free ${Date.now() - freed} ms after Ctrl-C`)
    }
    for (const text of BAD_OUTPUT)
      if (output.includes(text)) problems.push(`pnpm dev printed "${text}"`)
  }
  return problems
}

for (let run = 1; run <= runs; run++) {
  if (run === 2) {
    rmSync(`${root}/apps/web/node_modules/.vite`, { recursive: true, force: true })
    console.log(`run ${run}: deleted Vite's dependency cache`)
  }
  const problems = await start(run)
  if (problems.length > 0) {
    console.error(`run ${run} FAILED:\n  ${problems.join('\n  ')}`)
    process.exit(1)
  }
}
console.log(`dev-smoke: ${runs} of ${runs} starts served a working sign-in and stopped cleanly`)

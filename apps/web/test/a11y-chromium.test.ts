// @vitest-environment node
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findChromium, isCi, noChromiumMessage } from '@bezzie/test-support/chromium'
import { freePort } from '@bezzie/test-support/free-port'
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test'
import type { AxeResults } from 'axe-core'
import { build, type PreviewServer, preview } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const chromiumChoice = findChromium()
const haveBrowser = chromiumChoice.kind !== 'none'
if (!haveBrowser) {
  // A CI that silently skips its browser tests proves nothing.
  if (isCi()) throw new Error(`${noChromiumMessage('@bezzie/web a11y')}(CI=true: failing)`)
  console.warn(noChromiumMessage('@bezzie/web a11y'))
}

const alice = { sub: 'alice', name: 'Alice Liddell', given_name: 'Alice' }
const upstream = {
  message: 'Hello from the upstream API',
  sub: 'alice',
  scope: 'openid profile',
  receivedAuthorization: true,
  timestamp: '2026-11-27T10:00:00.000Z',
}

let outDir: string
let server: PreviewServer
let origin: string
let browser: Browser

beforeAll(async () => {
  if (!haveBrowser) return
  outDir = await mkdtemp(join(tmpdir(), 'bezzie-web-a11y-'))
  const config = {
    configFile: join(appDir, 'vite.config.ts'),
    root: appDir,
    logLevel: 'silent' as const,
  }
  await build({ ...config, build: { outDir, emptyOutDir: true, sourcemap: false } })
  const port = await freePort()
  server = await preview({ ...config, build: { outDir }, preview: { port, strictPort: true } })
  origin = `http://localhost:${port}`
  // Narrowed by the early return above: a Chromium exists.
  browser = await chromium.launch({
    executablePath: chromiumChoice.executablePath,
    args: chromiumChoice.args,
  })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

type Scheme = 'light' | 'dark'

interface Scenario {
  name: string
  path: string
  user: typeof alice | null
  /** HTTP status of `/api/me`. Default 200. */
  upstreamStatus?: number
  /** Waits until the page shows what is to be checked. */
  ready: (page: Page) => Promise<void>
}

const scenarios: Scenario[] = [
  {
    name: 'landing, anonymous',
    path: '/',
    user: null,
    ready: (page) => page.getByTestId('login-button').waitFor(),
  },
  {
    name: 'landing, signed in',
    path: '/',
    user: alice,
    ready: (page) => page.getByTestId('nav-user-name').waitFor(),
  },
  {
    name: 'dashboard with the upstream JSON and the disclosure open',
    path: '/dashboard',
    user: alice,
    ready: async (page) => {
      await page.getByTestId('upstream-json').waitFor()
      await page.getByText('Verify: no JWT in your browser').click()
    },
  },
  {
    name: 'dashboard with the upstream error',
    path: '/dashboard',
    user: alice,
    upstreamStatus: 502,
    ready: (page) => page.getByTestId('upstream-error').waitFor(),
  },
  {
    name: 'dashboard after the session ended',
    path: '/dashboard',
    user: alice,
    upstreamStatus: 401,
    ready: (page) => page.getByTestId('signed-out-notice').waitFor(),
  },
  {
    name: '404',
    path: '/no/such/page',
    user: null,
    ready: (page) => page.getByTestId('not-found').waitFor(),
  },
]

async function openPage(
  scheme: Scheme,
  scenario: Pick<Scenario, 'path' | 'user' | 'upstreamStatus'>,
  options: { reducedMotion?: 'reduce' | 'no-preference' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    colorScheme: scheme,
    reducedMotion: options.reducedMotion ?? 'no-preference',
    viewport: { width: 1280, height: 900 },
  })
  const page = await context.newPage()
  // The BFF's contract at the network boundary; the pages, fonts and styles are the real build.
  await page.route('**/auth/me', (route) =>
    route.fulfill({
      json: scenario.user ? { user: scenario.user, session: null } : { user: null },
    }),
  )
  await page.route('**/api/me', (route) => {
    const status = scenario.upstreamStatus ?? 200
    return route.fulfill({
      status,
      json: status === 200 ? upstream : { error: 'upstream_error', message: 'upstream down' },
    })
  })
  // A login redirect must not leave the page under test.
  await page.route('**/auth/login**', (route) => route.fulfill({ status: 204 }))
  await page.goto(`${origin}${scenario.path}`)
  return { context, page }
}

function describeViolations(results: AxeResults): string[] {
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  )
}

describe.skipIf(!haveBrowser)('accessibility of the built SPA in Chromium', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const scenario of scenarios) {
      it(`${scenario.name} (${scheme}): no axe violations, contrast included`, async () => {
        const { context, page } = await openPage(scheme, scenario)
        try {
          await scenario.ready(page)
          await page.addScriptTag({ path: axeSource })
          const results = await page.evaluate(() =>
            (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, {
              runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
            }),
          )
          expect(describeViolations(results)).toEqual([])
          expect(results.passes.map((rule) => rule.id)).toContain('color-contrast')
        } finally {
          await context.close()
        }
      })
    }

    it(`shows a focus ring on keyboard focus (${scheme})`, async () => {
      const { context, page } = await openPage(scheme, { path: '/', user: null })
      try {
        const login = page.getByTestId('login-button')
        await login.waitFor()
        await login.focus()
        await page.keyboard.press('Shift+Tab')
        await page.keyboard.press('Tab')
        const outline = await login.evaluate((element) => {
          const style = getComputedStyle(element)
          return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) }
        })
        expect(outline.style).toBe('solid')
        expect(outline.width).toBeGreaterThanOrEqual(2)
      } finally {
        await context.close()
      }
    })
  }

  it('stops the spinner and transitions under prefers-reduced-motion', async () => {
    const { context, page } = await openPage(
      'light',
      { path: '/', user: null },
      { reducedMotion: 'reduce' },
    )
    try {
      const login = page.getByTestId('login-button')
      await login.click()
      await expect.poll(() => login.textContent()).toBe('Redirecting…')
      const motion = await login.evaluate((element) => ({
        spinner: getComputedStyle(element.querySelector('.spinner') as Element).animationName,
        transition: getComputedStyle(element).transitionDuration,
      }))
      expect(motion.spinner).toBe('none')
      expect(
        motion.transition.split(',').every((duration) => Number.parseFloat(duration) === 0),
      ).toBe(true)
    } finally {
      await context.close()
    }
  })
})

// @vitest-environment node
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
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
import { type Backend, routeBackend, screens, WIDTHS } from './screens.ts'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const chromiumChoice = findChromium()
const haveBrowser = chromiumChoice.kind !== 'none'
if (!haveBrowser) {
  // A CI that silently skips its browser tests proves nothing.
  if (isCi()) throw new Error(`${noChromiumMessage('@bezzie/web a11y')}(CI=true: failing)`)
  console.warn(noChromiumMessage('@bezzie/web a11y'))
}

/** Set (by `pnpm screenshots`) to also save each screen, full page, into that folder. */
const screenshotDir = process.env.BEZZIE_SCREENSHOTS_DIR

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
  if (screenshotDir) await mkdir(screenshotDir, { recursive: true })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

type Scheme = 'light' | 'dark'

async function openPage(
  scheme: Scheme,
  width: number,
  path: string,
  backend: Backend,
  options: { reducedMotion?: 'reduce' | 'no-preference' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    colorScheme: scheme,
    reducedMotion: options.reducedMotion ?? 'no-preference',
    viewport: { width, height: 900 },
  })
  const page = await context.newPage()
  // Two cores shared with other suites: waiting for a page can take far longer than on a laptop.
  page.setDefaultTimeout(45_000)
  await routeBackend(page, backend)
  await page.goto(`${origin}${path}`)
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
    for (const screen of screens) {
      for (const width of screen.widths ?? WIDTHS) {
        it(`${screen.id} at ${width} px (${scheme}): no axe violations, no sideways scroll`, async () => {
          const { context, page } = await openPage(scheme, width, screen.path, screen.backend)
          try {
            await screen.ready(page).catch(async (error: unknown) => {
              // Say what the page showed instead, to tell a slow machine from a stuck page.
              const shown = await page.locator('body').textContent()
              throw new Error(`${String(error)}\nat ${page.url()} the page shows:\n${shown}`)
            })
            await page.evaluate(() => document.fonts.ready)
            // Nothing sticks out sideways: the page scrolls only down, at every width.
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            )
            expect(overflow, 'horizontal overflow in px').toBe(0)
            await page.addScriptTag({ path: axeSource })
            const results = await page.evaluate(() =>
              (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, {
                runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
              }),
            )
            expect(describeViolations(results)).toEqual([])
            expect(results.passes.map((rule) => rule.id)).toContain('color-contrast')
            if (screenshotDir) {
              // A click (the disclosure) may have scrolled: shoot from the top, header in place.
              await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }))
              await page.screenshot({
                path: join(screenshotDir, `${screen.id}-${width}-${scheme}.png`),
                fullPage: true,
                animations: 'disabled',
              })
            }
          } finally {
            await context.close()
          }
        }, 120_000)
      }
    }

    it(`shows a focus ring on keyboard focus (${scheme})`, async () => {
      const { context, page } = await openPage(scheme, 1280, '/', { user: null })
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
      1280,
      '/',
      { user: null },
      {
        reducedMotion: 'reduce',
      },
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

// @vitest-environment node
import { createHash, randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { DEV_CLIENT_ID, type Idp, startIdp } from '@bezzie/idp'
import { findChromium, isCi, noChromiumMessage } from '@bezzie/test-support/chromium'
import { type Browser, chromium } from '@playwright/test'
import type { AxeResults } from 'axe-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WIDTHS } from './screens.ts'

// The local IdP's sign-in page is part of the demo a person sees: the same checks as the SPA's
// screens (test/a11y-chromium.test.ts, which also fails in CI without a browser).
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const chromiumChoice = findChromium()
if (chromiumChoice.kind === 'none' && isCi()) {
  throw new Error(`${noChromiumMessage('@bezzie/web IdP page')}(CI=true: failing)`)
}
const screenshotDir = process.env.BEZZIE_SCREENSHOTS_DIR

let idp: Idp
let browser: Browser

function authorizationUrl(issuer: string): string {
  const url = new URL('/auth', issuer)
  url.search = new URLSearchParams({
    client_id: DEV_CLIENT_ID,
    response_type: 'code',
    redirect_uri: 'http://localhost:5173/auth/callback',
    scope: 'openid profile email',
    code_challenge: createHash('sha256').update(randomBytes(32)).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  }).toString()
  return url.href
}

beforeAll(async () => {
  if (chromiumChoice.kind === 'none') return
  idp = await startIdp()
  browser = await chromium.launch({
    executablePath: chromiumChoice.executablePath,
    args: chromiumChoice.args,
  })
  if (screenshotDir) await mkdir(screenshotDir, { recursive: true })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await idp?.stop()
})

describe.skipIf(chromiumChoice.kind === 'none')("the IdP's sign-in page in Chromium", () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of WIDTHS) {
      it(`at ${width} px (${scheme}): Inter loaded, a demo user fills the form, no axe violations, no sideways scroll`, async () => {
        const context = await browser.newContext({
          colorScheme: scheme,
          viewport: { width, height: 860 },
        })
        try {
          const page = await context.newPage()
          page.setDefaultTimeout(45_000)
          await page.goto(authorizationUrl(idp.issuer))
          await page.getByRole('link', { name: /Alice Liddell/ }).click()
          await expect.poll(() => page.inputValue('#username')).toBe('alice')
          expect(await page.inputValue('#password')).toBe('bezzie')
          await page.evaluate(() => document.fonts.ready)
          const families = await page.evaluate(() =>
            [...document.fonts].filter((font) => font.status === 'loaded').map((f) => f.family),
          )
          expect(new Set(families.map((family) => family.replaceAll('"', '')))).toEqual(
            new Set(['Inter']),
          )
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          )
          expect(overflow, 'horizontal overflow in px').toBe(0)
          if (screenshotDir) {
            await page.screenshot({
              path: join(screenshotDir, `idp-sign-in-${width}-${scheme}.png`),
              fullPage: true,
            })
          }
          // The page's CSP admits no script, axe's included: a second visit lets it in.
          const audit = await browser.newContext({
            colorScheme: scheme,
            viewport: { width, height: 860 },
            bypassCSP: true,
          })
          try {
            const auditPage = await audit.newPage()
            auditPage.setDefaultTimeout(45_000)
            await auditPage.goto(authorizationUrl(idp.issuer))
            await auditPage.getByRole('link', { name: /Alice Liddell/ }).click()
            await auditPage.waitForURL(/\?user=alice$/)
            await auditPage.addScriptTag({ path: axeSource })
            const results = await auditPage.evaluate(() =>
              (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, {
                runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
              }),
            )
            expect(describeViolations(results)).toEqual([])
          } finally {
            await audit.close()
          }
        } finally {
          await context.close()
        }
      }, 120_000)
    }
  }
})

function describeViolations(results: AxeResults): string[] {
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  )
}

import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, logInFromLanding, test } from './fixtures.ts'

const dir = join(import.meta.dirname, '..', 'artifacts', 'screenshots')

/** The demo's page background per scheme (apps/web's theme): #F4F3EF light, #111110 dark. */
const BACKGROUND = { light: 'rgb(244, 243, 239)', dark: 'rgb(17, 17, 16)' }

/** Waits for the web fonts, then checks the page is drawn in the scheme's colours and our fonts. */
async function expectTheLook(page: Page, colorScheme: keyof typeof BACKGROUND) {
  await page.evaluate(() => document.fonts.ready)
  const look = await page.evaluate(() => ({
    background: getComputedStyle(document.body).backgroundColor,
    loaded: [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family),
  }))
  expect(look.background).toBe(BACKGROUND[colorScheme])
  // Self-hosted faces the page actually used (a missing file would leave them unloaded).
  const loaded = new Set(look.loaded.map((family) => family.replaceAll('"', '')))
  expect([...loaded].sort()).toEqual(['Inter', 'JetBrains Mono'])
}

async function screenshot(page: Page, name: string) {
  const path = join(dir, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  expect(statSync(path).size).toBeGreaterThan(10_000)
}

test.describe('screenshots (e2e/artifacts/screenshots)', () => {
  test.use({ viewport: { width: 1280, height: 800 } })

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`landing and dashboard, ${colorScheme}: the scheme's background, Inter and JetBrains Mono loaded`, async ({
      page,
    }) => {
      await page.emulateMedia({ colorScheme })
      await page.goto('/')
      await expect(page.getByTestId('login-button')).toBeVisible()
      await expectTheLook(page, colorScheme)
      await screenshot(page, `landing-${colorScheme}`)

      await logInFromLanding(page, 'alice')
      await expect(page.getByTestId('upstream-json')).toContainText('receivedAuthorization')
      await expectTheLook(page, colorScheme)
      await screenshot(page, `dashboard-${colorScheme}`)
    })
  }
})

import { join } from 'node:path'
import { expect, logInFromLanding, test } from './fixtures.ts'

const dir = join(import.meta.dirname, '..', 'artifacts', 'screenshots')

test.describe('screenshots (e2e/artifacts/screenshots)', () => {
  test.use({ viewport: { width: 1280, height: 800 } })

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`landing and dashboard, ${colorScheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme })
      await page.goto('/')
      await expect(page.getByTestId('login-button')).toBeVisible()
      await page.evaluate(() => document.fonts.ready)
      await page.screenshot({ path: join(dir, `landing-${colorScheme}.png`), fullPage: true })

      await logInFromLanding(page, 'alice')
      await expect(page.getByTestId('upstream-json')).toContainText('receivedAuthorization')
      await page.evaluate(() => document.fonts.ready)
      await page.screenshot({ path: join(dir, `dashboard-${colorScheme}.png`), fullPage: true })
    })
  }
})

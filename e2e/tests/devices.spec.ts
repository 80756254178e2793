import { authMe, expect, logInFromLanding, test } from './fixtures.ts'

test.describe('active sessions ("your devices")', () => {
  test("lists both of alice's browsers, signs the other one out, then this one", async ({
    page,
    browser,
  }) => {
    // A second browser (its own cookie jar) signed in as the same user.
    const other = await browser.newContext()
    const otherPage = await other.newPage()
    try {
      await logInFromLanding(otherPage, 'alice')
      await logInFromLanding(page, 'alice')

      const panel = page.getByTestId('active-sessions')
      await expect(panel.getByTestId('device')).toHaveCount(2)
      const current = panel.locator('[data-testid="device"][data-current="true"]')
      await expect(current).toHaveCount(1)
      await expect(current).toContainText('This device')
      await expect(current).toContainText('Chrome on Linux')

      // Sign the other browser out from here: it is gone from the list and from the BFF.
      await panel.getByTestId('sign-out-device').click()
      await expect(panel.getByTestId('device')).toHaveCount(1)
      expect(await authMe(otherPage)).toEqual({ user: null })
      expect(await authMe(page)).not.toEqual({ user: null })

      // "Sign out this device" ends this page's session too.
      await panel.getByTestId('sign-out-this-device').click()
      await expect(page.getByTestId('signed-out-notice')).toBeVisible()
      expect(await authMe(page)).toEqual({ user: null })
    } finally {
      await other.close()
    }
  })
})

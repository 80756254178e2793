import { authMe, expect, test } from './fixtures.ts'

test.describe('anonymous visitor', () => {
  test('the landing page loads with no user in the nav and /auth/me says null', async ({
    page,
  }) => {
    await page.goto('/')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      /tokens in the Worker, not the browser/i,
    )
    await expect(page.getByTestId('login-button')).toHaveText('Log in')
    await expect(page.getByTestId('nav-login-button')).toBeVisible()
    await expect(page.getByTestId('nav-user-name')).toHaveCount(0)
    expect(await authMe(page)).toEqual({ user: null })
    const cookies = await page.context().cookies()
    expect(cookies).toEqual([])
  })
})

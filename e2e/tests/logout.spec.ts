import {
  authMe,
  expect,
  idpControl,
  logInFromLanding,
  SESSION_COOKIE,
  simulateFocus,
  test,
  topology,
} from './fixtures.ts'

test.describe('logout', () => {
  test('logout → landing page, empty nav, /auth/me null; session replay: the old cookie no longer works', async ({
    page,
    context,
    browser,
  }) => {
    await logInFromLanding(page, 'alice')
    const [oldCookie] = (await context.cookies(topology.appUrl)).filter(
      (c) => c.name === SESSION_COOKIE,
    )
    expect(oldCookie).toBeDefined()

    await page.getByTestId('logout-button').click()
    await page.waitForURL(`${topology.appUrl}/`)
    await expect(page.getByTestId('nav-login-button')).toBeVisible()
    await expect(page.getByTestId('nav-user-name')).toHaveCount(0)
    expect(await authMe(page)).toEqual({ user: null })
    expect(await context.cookies(topology.appUrl)).toEqual([])

    // Session replay: an attacker who copied the cookie before logout gets nothing.
    const replay = await browser.newContext({ baseURL: topology.appUrl })
    try {
      await replay.addCookies([oldCookie as NonNullable<typeof oldCookie>])
      expect(await (await replay.request.get('/auth/me')).json()).toEqual({ user: null })
      expect(await (await replay.request.get('/api/user')).json()).toEqual({ user: null })
      expect((await replay.request.get('/api/me')).status()).toBe(401)
    } finally {
      await replay.close()
    }
  })

  test('back-channel logout: ending the session at the IdP ends the BFF session; the SPA shows logged out on the next focus', async ({
    page,
  }) => {
    await logInFromLanding(page, 'bob')
    await page.goto('/')
    await expect(page.getByTestId('nav-user-name')).toContainText('Bob')

    const ended = await idpControl('end-session', { sub: 'bob' })
    expect(ended.status, 'the IdP delivered the logout token to the worker').toBe(204)
    expect(await authMe(page)).toEqual({ user: null })

    await simulateFocus(page)
    await expect(page.getByTestId('nav-login-button')).toBeVisible()
    await expect(page.getByTestId('nav-user-name')).toHaveCount(0)
  })

  test('logging out in one tab updates a second tab', async ({ page, context }) => {
    await logInFromLanding(page, 'alice')
    const other = await context.newPage()
    await other.goto('/')
    await expect(other.getByTestId('nav-user-name')).toContainText('Alice')

    await page.getByTestId('logout-button').click()
    await page.waitForURL(`${topology.appUrl}/`)
    // No reload and no focus event in the second tab: the cross-tab channel tells it.
    await expect(other.getByTestId('nav-login-button')).toBeVisible()
    await expect(other.getByTestId('nav-user-name')).toHaveCount(0)
  })
})

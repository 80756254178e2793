import {
  authMe,
  DEMO_USERS,
  expect,
  JWT_PATTERN,
  logInFromLanding,
  SESSION_COOKIE,
  signInAtIdp,
  test,
  topology,
} from './fixtures.ts'

test.describe('login', () => {
  test('Login → IdP → /dashboard with the name and the upstream JSON (receivedAuthorization: true)', async ({
    page,
  }) => {
    await page.goto('/')
    await page.getByTestId('login-button').click()
    await signInAtIdp(page, 'alice')
    await page.waitForURL(`${topology.appUrl}/dashboard`)

    await expect(page.getByTestId('dashboard-greeting')).toHaveText(/Hi, Alice/)
    await expect(page.getByTestId('nav-user-name')).toContainText('Alice')
    const upstream = JSON.parse((await page.getByTestId('upstream-json').textContent()) ?? '')
    expect(upstream).toMatchObject({ sub: 'alice', receivedAuthorization: true })
    expect((await authMe(page)).user).toMatchObject({ sub: 'alice', name: DEMO_USERS.alice.name })
  })

  test('no token reaches the browser: only the HttpOnly session cookie, empty storage, no JWT in any response', async ({
    page,
    context,
    jwtGuard,
  }) => {
    await logInFromLanding(page, 'bob')
    await expect(page.getByTestId('upstream-json')).toContainText('"receivedAuthorization": true')

    // The app's origin (127.0.0.1) holds exactly one cookie; the IdP's live on `localhost`.
    const appCookies = await context.cookies(topology.appUrl)
    expect(appCookies.map((c) => c.name)).toEqual([SESSION_COOKIE])
    const session = appCookies[0]
    expect(session).toMatchObject({
      domain: '127.0.0.1',
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
    })
    // Opaque 256-bit id, not a token; a session (not persistent) or future expiry.
    expect(session?.value).toMatch(/^[\w-]{43}$/)
    expect(session?.value).not.toMatch(JWT_PATTERN)

    const inPage = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }))
    expect(inPage.cookie).toBe('')
    for (const value of Object.values(inPage)) expect(value).not.toMatch(JWT_PATTERN)
    expect(inPage.local).not.toMatch(/access_token|refresh_token|id_token/i)
    expect(inPage.session).not.toMatch(/access_token|refresh_token|id_token/i)

    // Every response body of the run is scanned by the jwtGuard fixture after the test; make
    // sure it saw the interesting ones (the SPA, /auth/me, /api/me).
    await page.reload()
    await expect(page.getByTestId('upstream-json')).toBeVisible()
    expect(jwtGuard.checked()).toBeGreaterThan(5)
  })

  test('/auth/login?returnTo=/ lands on /', async ({ page }) => {
    await page.goto('/auth/login?returnTo=/')
    await signInAtIdp(page, 'alice')
    await page.waitForURL(`${topology.appUrl}/`)
    await expect(page.getByTestId('nav-user-name')).toContainText('Alice')
  })

  for (const evil of ['https://evil.example/steal', '//evil.example/steal', '/\\evil.example']) {
    test(`open redirect: an absolute returnTo (${evil}) is refused`, async ({ page }) => {
      await page.goto(`/auth/login?returnTo=${encodeURIComponent(evil)}`)
      await signInAtIdp(page, 'alice')
      const idpOrigin = new URL(topology.issuer).origin
      await page.waitForURL((url) => url.origin !== idpOrigin && !url.pathname.startsWith('/auth/'))
      expect(page.url()).toBe(`${topology.appUrl}/dashboard`)
    })
  }

  test('a deep link to /dashboard while logged out → login → back on /dashboard', async ({
    page,
  }) => {
    await page.goto('/dashboard')
    await signInAtIdp(page, 'bob')
    await page.waitForURL(`${topology.appUrl}/dashboard`)
    await expect(page.getByTestId('dashboard-greeting')).toHaveText(/Hi, Bob/)
  })
})

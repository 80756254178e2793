import type { Page } from '@playwright/test'
import { authMe, expect, idpControl, signInAtIdp, test, topology } from './fixtures.ts'

/** What a person sees must be one of the app's own pages: no browser error page, no raw JSON. */
async function expectAnAppPage(page: Page) {
  expect(page.url()).toMatch(new RegExp(`^${topology.appUrl}/`))
  expect(page.url()).not.toMatch(/^chrome-error:/)
  const body = ((await page.locator('body').textContent()) ?? '').trim()
  expect(body.startsWith('{'), 'raw JSON shown to a person').toBe(false)
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
}

test.describe('sign-in problems a person must never meet as an error page', () => {
  test('a cancelled login lands on "You did not sign in", once: no loop back to the IdP, no JSON', async ({
    page,
  }) => {
    const idpOrigin = new URL(topology.issuer).origin
    let idpNavigations = 0
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().startsWith(idpOrigin)) idpNavigations += 1
    })
    await page.goto('/dashboard')
    await page.waitForURL((url) => url.origin === idpOrigin)
    await page.getByRole('link', { name: 'Cancel and go back' }).click()

    await expect(page.getByTestId('sign-in-page')).toContainText('You did not sign in')
    await expect(page.getByTestId('auth-error-code')).toHaveText('access_denied')
    await expectAnAppPage(page)
    // The code is taken out of the address bar, and the guard did not start another login.
    expect(new URL(page.url()).searchParams.has('auth_error')).toBe(false)
    expect(idpNavigations).toBe(1)
    expect((await authMe(page)).user).toBeNull()

    // Trying again is the user's choice, and it works.
    await page.getByTestId('sign-in-retry').click()
    await signInAtIdp(page, 'alice')
    await page.waitForURL(`${topology.appUrl}/dashboard`)
    await expect(page.getByTestId('dashboard-greeting')).toHaveText('Hi, Alice')
  })

  test('with the IdP unreachable, Log in shows the site\'s "sign-in unavailable" page, not the browser\'s error page', async ({
    page,
  }) => {
    // The IdP is down for the Worker (its discovery connection is dropped) and for the browser.
    const idpOrigin = new URL(topology.issuer).origin
    await page.route(`${idpOrigin}/**`, (route) => route.abort('connectionrefused'))
    expect((await idpControl('faults', { endpoint: 'discovery', mode: 'reset' })).ok).toBe(true)
    try {
      await page.goto('/')
      await page.getByTestId('login-button').click()
      await expect(page.getByTestId('sign-in-page')).toContainText(
        'The sign-in service is not answering',
      )
      await expectAnAppPage(page)
      expect(new URL(page.url()).pathname).toBe('/sign-in')

      // The nav's Log in says the same, from any page.
      await page.goto('/no/such/page')
      await page.getByTestId('nav-login-button').click()
      await expect(page.getByTestId('sign-in-page')).toContainText('not answering')
      await expectAnAppPage(page)
    } finally {
      await fetch(`${topology.issuer}/__idp/faults`, { method: 'DELETE' })
    }

    // Back up: the same button logs in.
    await page.unroute(`${idpOrigin}/**`)
    await page.getByTestId('sign-in-retry').click()
    await signInAtIdp(page, 'bob')
    await page.waitForURL(`${topology.appUrl}/dashboard`)
    await expect(page.getByTestId('dashboard-greeting')).toHaveText('Hi, Bob')
  })

  test('with the IdP unreachable, Log out still ends the session and stays on the site', async ({
    page,
  }) => {
    await page.goto('/dashboard')
    await signInAtIdp(page, 'alice')
    await page.waitForURL(`${topology.appUrl}/dashboard`)
    await expect(page.getByTestId('dashboard-greeting')).toHaveText('Hi, Alice')

    const idpOrigin = new URL(topology.issuer).origin
    await page.route(`${idpOrigin}/**`, (route) => route.abort('connectionrefused'))
    expect((await idpControl('faults', { endpoint: 'discovery', mode: 'reset' })).ok).toBe(true)
    try {
      await page.getByTestId('logout-button').click()
      await page.waitForURL(`${topology.appUrl}/`)
      await expect(page.getByTestId('nav-login-button')).toBeVisible()
      await expectAnAppPage(page)
      expect((await authMe(page)).user).toBeNull()
    } finally {
      await fetch(`${topology.issuer}/__idp/faults`, { method: 'DELETE' })
    }
  })

  test('a deep link keeps its #fragment through the login', async ({ page }) => {
    await page.goto('/dashboard?view=all#notes')
    await signInAtIdp(page, 'alice')
    await page.waitForURL(`${topology.appUrl}/dashboard?view=all#notes`)
    await expect(page.getByTestId('dashboard-greeting')).toHaveText('Hi, Alice')
  })

  test('a note written on the dashboard goes through the BFF to the upstream API and back', async ({
    page,
  }) => {
    await page.goto('/dashboard')
    await signInAtIdp(page, 'bob')
    await page.waitForURL(`${topology.appUrl}/dashboard`)
    const text = `written at ${Date.now()}`
    const post = page.waitForRequest(
      (request) => request.url().endsWith('/api/notes') && request.method() === 'POST',
    )
    await page.getByLabel('New note').fill(text)
    await page.getByTestId('note-add').click()
    await expect(page.getByTestId('notes-list')).toContainText(text)
    const headers = (await post).headers()
    expect(headers['x-csrf']).toBe('1')
    expect(headers.authorization).toBeUndefined()
  })
})

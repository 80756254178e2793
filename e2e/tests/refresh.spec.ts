import { ACCESS_TOKEN_TTL } from '../src/topology.ts'
import { expect, idpControl, idpCounts, logInFromLanding, test } from './fixtures.ts'

test.describe('access token refresh', () => {
  test('past the access token expiry the dashboard keeps working and the IdP saw exactly one refresh', async ({
    page,
  }) => {
    await logInFromLanding(page, 'alice')
    const first = page.getByTestId('upstream-json')
    await expect(first).toContainText('"receivedAuthorization": true')
    const firstTimestamp = JSON.parse((await first.textContent()) ?? '').timestamp as string

    expect((await idpControl('reset-counts')).status).toBe(204)
    await page.waitForTimeout((ACCESS_TOKEN_TTL + 1) * 1000)

    // A reload asks /auth/me and /api/me at once: both need the refreshed token, one refresh.
    await page.reload()
    await expect(page.getByTestId('dashboard-greeting')).toHaveText(/Hi, Alice/)
    const json = page.getByTestId('upstream-json')
    await expect(json).toContainText('"receivedAuthorization": true')
    expect(JSON.parse((await json.textContent()) ?? '').timestamp).not.toBe(firstTimestamp)

    const counts = await idpCounts()
    expect(counts['grant:refresh_token']).toBe(1)
    expect(counts['grant:authorization_code']).toBe(0)
  })
})

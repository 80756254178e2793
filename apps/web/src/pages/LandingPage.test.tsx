import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { alice, renderApp } from '../../test/render-app.tsx'

describe('landing page', () => {
  it('renders the hero with the gradient half of the headline and the secondary link', async () => {
    renderApp()
    const heading = await screen.findByRole('heading', { level: 1 })
    expect(heading.textContent).toBe('Tokens in the Worker, not the browser.')
    expect(within(heading).getByText('not the browser.').className).toContain('gradient-text')
    expect(screen.getByText('BFF OAuth for Hono on Cloudflare Workers')).toBeTruthy()
    expect(screen.getByRole('link', { name: /how it works/i }).getAttribute('href')).toBe(
      '#how-it-works',
    )
    expect(document.title).toBe('bezzie — tokens in the Worker, not the browser')
    await screen.findByTestId('login-button')
  })

  it('explains the pattern in four cards: problem, solution, session cookie, upstream call', async () => {
    renderApp()
    const section = await screen.findByRole('region', { name: 'How it works' })
    const cards = within(section).getAllByRole('listitem')
    expect(
      cards.map((card) => within(card).getByRole('heading', { level: 3 }).textContent),
    ).toEqual([
      'SPAs keep tokens in the browser',
      'The Worker keeps them',
      'HttpOnly + __Host-',
      'Bearer injected by the Worker',
    ])
    expect(cards[0]?.textContent).toMatch(/The problem/i)
    expect(cards[3]?.textContent).toContain('Authorization: Bearer')
  })

  it('shows Redirecting… and starts the login to /dashboard when Login is clicked', async () => {
    const { navigate } = renderApp()
    const button = await screen.findByTestId('login-button')
    expect(button.textContent).toBe('Log in')

    fireEvent.click(button)

    expect(button.textContent).toBe('Redirecting…')
    expect((button as HTMLButtonElement).disabled).toBe(true)
    expect(button.getAttribute('aria-busy')).toBe('true')
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
    expect(navigate).toHaveBeenCalledWith('/auth/login?returnTo=%2Fdashboard')
  })

  it('asks the BFF whether the IdP answers first, and with the IdP down shows the sign-in-unavailable page instead of leaving', async () => {
    const { navigate, requests } = renderApp({ idpDown: true })
    fireEvent.click(await screen.findByTestId('login-button'))
    const page = await screen.findByTestId('sign-in-page')
    expect(page.textContent).toContain('The sign-in service is not answering')
    expect(navigate).not.toHaveBeenCalled()
    expect(
      requests.find((request) => request.pathname === '/api/idp-status')?.headers.get('x-csrf'),
    ).toBe('1')
    expect(window.location.pathname).toBe('/sign-in')
  })

  it('leaves the redirecting state when the page comes back from the back-forward cache', async () => {
    renderApp()
    const button = await screen.findByTestId('login-button')
    fireEvent.click(button)
    expect(button.textContent).toBe('Redirecting…')

    const pageshow = new Event('pageshow') as PageTransitionEvent
    Object.defineProperty(pageshow, 'persisted', { value: true })
    fireEvent(window, pageshow)

    await waitFor(() => expect(button.textContent).toBe('Log in'))
  })

  it('shows no user and a Login button in the nav when /auth/me says nobody is signed in', async () => {
    renderApp()
    const nav = await screen.findByRole('navigation', { name: 'Main' })
    await within(nav).findByTestId('nav-login-button')
    expect(within(nav).queryByTestId('nav-user-name')).toBeNull()
  })

  it("shows the signed-in user's name in the nav, opening a menu with Dashboard and Log out", async () => {
    renderApp({ user: alice })
    const nav = await screen.findByRole('navigation', { name: 'Main' })
    expect((await within(nav).findByTestId('nav-user-name')).textContent).toBe('Alice Liddell')
    const button = within(nav).getByTestId('user-menu-button')
    const menu = within(nav).getByTestId('user-menu')
    expect(button.getAttribute('aria-expanded')).toBe('false')
    expect(menu.hidden).toBe(true)
    expect(button.getAttribute('aria-controls')).toBe(menu.id)

    fireEvent.click(button)
    expect(button.getAttribute('aria-expanded')).toBe('true')
    expect(menu.hidden).toBe(false)
    expect(within(menu).getByRole('link', { name: 'Dashboard' }).getAttribute('href')).toBe(
      '/dashboard',
    )
    expect(within(menu).getByRole('button', { name: 'Log out' })).toBeTruthy()
    expect(menu.textContent).toContain('alice@example.com')

    fireEvent.keyDown(document, { key: 'Escape' })
    expect(button.getAttribute('aria-expanded')).toBe('false')
    expect(menu.hidden).toBe(true)
    expect(document.activeElement).toBe(button)
    expect(within(nav).queryByTestId('nav-login-button')).toBeNull()
    expect(screen.queryByTestId('login-button')).toBeNull()
    expect(screen.getByTestId('hero-dashboard-link')).toBeTruthy()
  })

  it('has a mobile menu button that shows the links and the account, and closes on Escape', async () => {
    renderApp()
    const button = await screen.findByTestId('mobile-menu-button')
    const panel = screen.getByTestId('mobile-menu')
    expect(button.getAttribute('aria-expanded')).toBe('false')
    fireEvent.click(button)
    expect(button.getAttribute('aria-expanded')).toBe('true')
    expect(within(panel).getByRole('link', { name: 'Docs' })).toBeTruthy()
    expect(within(panel).getByRole('link', { name: 'GitHub' })).toBeTruthy()
    expect(within(panel).getByTestId('mobile-login-button')).toBeTruthy()
    fireEvent.keyDown(document, { key: 'Escape' })
    expect(button.getAttribute('aria-expanded')).toBe('false')
    expect(panel.hidden).toBe(true)
  })

  it('opens the dashboard client-side from the user menu, without a page load', async () => {
    const { navigate } = renderApp({ user: alice })
    fireEvent.click(await screen.findByTestId('user-menu-button'))
    fireEvent.click(
      within(screen.getByTestId('user-menu')).getByRole('link', { name: 'Dashboard' }),
    )
    await waitFor(() => expect(window.location.pathname).toBe('/dashboard'))
    expect((await screen.findByTestId('dashboard-greeting')).textContent).toBe('Hi, Alice')
    expect(navigate).not.toHaveBeenCalled()
  })
})

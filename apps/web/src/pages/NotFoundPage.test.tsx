import { fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from '../../test/render-app.tsx'

describe('not-found page', () => {
  it('answers an unknown path with a 404 page naming the path', async () => {
    renderApp({ path: '/no/such/page' })
    const page = await screen.findByTestId('not-found')
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Page not found')
    expect(page.textContent).toContain('/no/such/page')
    expect(document.title).toBe('Page not found · bezzie')
  })

  it('goes back to the landing page client-side, and forward again with the history', async () => {
    renderApp({ path: '/missing' })
    fireEvent.click(await screen.findByRole('link', { name: 'Back to the home page' }))
    await waitFor(() => expect(window.location.pathname).toBe('/'))
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toContain(
      'Tokens in the Worker',
    )

    window.history.pushState(null, '', '/missing')
    fireEvent(window, new PopStateEvent('popstate'))
    expect(await screen.findByTestId('not-found')).toBeTruthy()
  })
})

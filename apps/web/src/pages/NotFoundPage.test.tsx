import { fireEvent, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderApp } from '../../test/render-app.tsx'

describe('not-found page', () => {
  it('answers an unknown path with a 404 page naming the path', () => {
    renderApp({ path: '/no/such/page' })
    const page = screen.getByTestId('not-found')
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Page not found')
    expect(page.textContent).toContain('/no/such/page')
    expect(document.title).toBe('Page not found · bezzie')
  })

  it('goes back to the landing page client-side, and forward again with the history', async () => {
    renderApp({ path: '/missing' })
    fireEvent.click(screen.getByRole('link', { name: 'Back to the home page' }))
    expect(window.location.pathname).toBe('/')
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('Tokens in the Worker')

    window.history.pushState(null, '', '/missing')
    fireEvent(window, new PopStateEvent('popstate'))
    expect(await screen.findByTestId('not-found')).toBeTruthy()
  })
})

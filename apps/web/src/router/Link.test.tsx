import { fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Link } from './Link.tsx'
import { usePathname } from './usePathname.ts'

function Where() {
  return <output data-testid="where">{usePathname()}</output>
}

/** Whether the Link prevented each click; afterwards every click is stopped, so the test page stays put. */
let preventedByLink: boolean[] = []
const recordAndStop = (event: Event) => {
  preventedByLink.push(event.defaultPrevented)
  event.preventDefault()
}

beforeEach(() => {
  preventedByLink = []
  document.addEventListener('click', recordAndStop)
})
afterEach(() => document.removeEventListener('click', recordAndStop))

describe('Link', () => {
  it('navigates client-side on a plain left click', () => {
    render(
      <>
        <Link href="/dashboard">Dashboard</Link>
        <Where />
      </>,
    )
    fireEvent.click(screen.getByRole('link', { name: 'Dashboard' }), { button: 0 })
    expect(preventedByLink).toEqual([true])
    expect(window.location.pathname).toBe('/dashboard')
    expect(screen.getByTestId('where').textContent).toBe('/dashboard')
  })

  it('leaves modified clicks (new tab, new window, download) to the browser', () => {
    render(<Link href="/dashboard">Dashboard</Link>)
    const link = screen.getByRole('link', { name: 'Dashboard' })
    for (const modifier of ['ctrlKey', 'metaKey', 'shiftKey', 'altKey'] as const) {
      fireEvent.click(link, { button: 0, [modifier]: true })
    }
    expect(preventedByLink).toEqual([false, false, false, false])
    expect(window.location.pathname).toBe('/')
  })

  it('leaves links that open another browsing context to the browser', () => {
    render(
      <Link href="/dashboard" target="_blank">
        Dashboard
      </Link>,
    )
    fireEvent.click(screen.getByRole('link', { name: 'Dashboard' }), { button: 0 })
    expect(preventedByLink).toEqual([false])
    expect(window.location.pathname).toBe('/')
  })
})

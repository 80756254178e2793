/** Fired on `window` after {@link navigate} changes the URL (History API has no event for that). */
const NAVIGATE_EVENT = 'bezzie-web:navigate'

/** Options for {@link navigate}. */
export interface NavigateOptions {
  /** Replace the current history entry instead of pushing one. Default is `false`. */
  replace?: boolean
}

/**
 * Client-side navigation to a same-origin path: updates the URL through the History API and
 * tells every {@link subscribe}r, then scrolls to the top like a page load would.
 */
export function navigate(to: string, { replace = false }: NavigateOptions = {}): void {
  if (replace) window.history.replaceState(null, '', to)
  else window.history.pushState(null, '', to)
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
  window.scrollTo?.({ top: 0 })
}

/** Calls `onChange` on back/forward and on {@link navigate}; returns the unsubscribe function. */
export function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange)
  window.addEventListener(NAVIGATE_EVENT, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(NAVIGATE_EVENT, onChange)
  }
}

import { useEffect } from 'react'

const SITE_NAME = 'bezzie'

/** Sets `document.title` to "`title` · bezzie", or the site's tagline title for the home page. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title
      ? `${title} · ${SITE_NAME}`
      : `${SITE_NAME} — tokens in the Worker, not the browser`
  }, [title])
}

import { Link, useRouterState } from '@tanstack/react-router'
import { NoticeLayout } from '../components/NoticeLayout.tsx'
import { siteLinks } from '../site-links.ts'
import { useDocumentTitle } from '../useDocumentTitle.ts'

/** Any path the SPA has no page for. */
export function NotFoundPage() {
  useDocumentTitle('Page not found')
  const pathname = useRouterState({ select: (state) => state.location.pathname })
  return (
    <NoticeLayout
      data-testid="not-found"
      eyebrow={<p className="notice__code gradient-text">404</p>}
      title="Page not found"
      titleId="not-found-title"
      actions={
        <Link to="/" className="button button--primary">
          Back to the home page
        </Link>
      }
      aside={
        <>
          <h2 className="notice__aside-title">Where to next</h2>
          <ul className="notice__links">
            <li>
              <Link to="/">Home</Link> — what bezzie is and how it works
            </li>
            <li>
              <Link to="/dashboard">Dashboard</Link> — log in and call an API through the Worker
            </li>
            <li>
              <a href={siteLinks.docs}>Documentation</a> — set bezzie up in your own Worker
            </li>
            <li>
              <a href={siteLinks.github}>Source code</a> — this demo included
            </li>
          </ul>
        </>
      }
    >
      <p className="notice__lede">
        There is nothing at <code>{pathname}</code>. It may have moved, or the link may be wrong.
      </p>
    </NoticeLayout>
  )
}

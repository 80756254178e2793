import { Link } from '../router/Link.tsx'
import { usePathname } from '../router/usePathname.ts'
import { useDocumentTitle } from '../useDocumentTitle.ts'

/** Any path the SPA has no page for. */
export function NotFoundPage() {
  useDocumentTitle('Page not found')
  const pathname = usePathname()
  return (
    <section
      className="notice-page container"
      aria-labelledby="not-found-title"
      data-testid="not-found"
    >
      <p className="notice-page__code gradient-text">404</p>
      <h1 id="not-found-title" className="page-title">
        Page not found
      </h1>
      <p className="notice-page__text">
        There is nothing at <code>{pathname}</code>. It may have moved, or the link may be wrong.
      </p>
      <Link href="/" className="button button--primary">
        Back to the home page
      </Link>
    </section>
  )
}

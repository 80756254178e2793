import { siteLinks } from '../site-links.ts'

/** The page footer: what this demo is and what it follows. */
export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container site-footer__inner">
        <p>
          A demo of <strong>bezzie</strong>, a Backend-for-Frontend for Hono on Cloudflare Workers.
        </p>
        <p>
          Follows <a href={siteLinks.bcp212}>OAuth 2.0 for Browser-Based Applications</a> (BCP 212).
          MIT licensed.
        </p>
      </div>
    </footer>
  )
}

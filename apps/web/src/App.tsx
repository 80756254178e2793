import { useEffect, useRef } from 'react'
import { SiteFooter } from './components/SiteFooter.tsx'
import { SiteHeader } from './components/SiteHeader.tsx'
import { DashboardPage } from './pages/DashboardPage.tsx'
import { LandingPage } from './pages/LandingPage.tsx'
import { NotFoundPage } from './pages/NotFoundPage.tsx'
import { usePathname } from './router/usePathname.ts'

/** The SPA's routes; `/auth/*` and `/api/*` never get here (they belong to the BFF). */
function Page({ pathname }: { pathname: string }) {
  switch (pathname.replace(/\/+$/, '') || '/') {
    case '/':
      return <LandingPage />
    case '/dashboard':
      return <DashboardPage />
    default:
      return <NotFoundPage />
  }
}

/** Page chrome and routing. */
export function App() {
  const pathname = usePathname()
  const mainRef = useRef<HTMLElement>(null)
  const firstRender = useRef(true)

  // After a client-side navigation, move focus to the new page so screen readers announce it,
  // as a full page load would; the initial load keeps the browser's default focus.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false
      return
    }
    mainRef.current?.focus({ preventScroll: true })
  }, [pathname])

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SiteHeader />
      <main id="main" ref={mainRef} tabIndex={-1}>
        <Page pathname={pathname} />
      </main>
      <SiteFooter />
    </>
  )
}

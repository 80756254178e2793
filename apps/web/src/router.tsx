import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  type ErrorComponentProps,
} from '@tanstack/react-router'
import { RootLayout } from './components/RootLayout.tsx'
import { DashboardPage } from './pages/DashboardPage.tsx'
import { LandingPage } from './pages/LandingPage.tsx'
import { NotFoundPage } from './pages/NotFoundPage.tsx'
import { PageStatus } from './pages/PageStatus.tsx'
import { SessionErrorPage } from './pages/SessionErrorPage.tsx'
import { SignInPage } from './pages/SignInPage.tsx'
import { requireUser } from './routes/require-user.ts'
import type { RouterContext } from './routes/router-context.ts'
import { parseSignInSearch } from './routes/search.ts'

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: NotFoundPage,
})

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: LandingPage,
})

export const dashboardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/dashboard',
  beforeLoad: requireUser,
  pendingComponent: () => <PageStatus>Checking your session…</PageStatus>,
  // `/auth/me` failed (BFF or its store down): not the same as signed out, so no redirect.
  errorComponent: ({ error, reset }: ErrorComponentProps) => (
    <SessionErrorPage
      error={error instanceof Error ? error : new Error(String(error))}
      reset={reset}
    />
  ),
  component: DashboardPage,
})

export const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: parseSignInSearch,
  component: SignInPage,
})

const routeTree = rootRoute.addChildren([indexRoute, dashboardRoute, signInRoute])

/** The SPA's router; `/auth/*` and `/api/*` never reach it (they belong to the BFF). */
export function createAppRouter(context: RouterContext) {
  return createRouter({
    routeTree,
    context,
    // The guard's `/auth/me` is usually quick: no spinner flash unless it takes a moment.
    defaultPendingMs: 300,
    defaultPendingMinMs: 300,
    scrollRestoration: true,
  })
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>
  }
}

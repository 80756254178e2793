import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig, type ProxyOptions } from 'vite'
import { canonicalLocalhost } from './vite/canonical-localhost.ts'

/**
 * The BFF worker started by `pnpm dev` (apps/worker, `wrangler dev --port 8787`); tests that run
 * their own worker on a free port point the proxy at it with `BEZZIE_BFF_ORIGIN`.
 */
const BFF_ORIGIN = process.env.BEZZIE_BFF_ORIGIN ?? 'http://127.0.0.1:8787'

/** `/auth`, `/auth/…`, `/api`, `/api/…` — but not client routes that merely start with those letters. */
const BFF_PATHS = '^/(auth|api)(/|$)'

/**
 * `changeOrigin: false` keeps the browser's own `Host: localhost:5173` and `Origin`, so the worker
 * sees the same origin as its `baseUrl` (CSRF checks pass, the IdP redirects back here) and the
 * `__Host-` session cookie stays first-party on this origin. No cookie or Location rewriting:
 * the worker's `Set-Cookie` and redirects reach the browser untouched.
 */
const toBff: ProxyOptions = { target: BFF_ORIGIN, changeOrigin: false, xfwd: false }

/**
 * The dev server takes workspace packages (bezzie-react) from their source through the
 * `@bezzie/source` export condition: `pnpm dev` needs no build and no watcher that could empty
 * `dist/` while Vite scans dependencies. `vite build` (and every test) uses the built package, as
 * an app installing it from npm would — the published package.json has no such condition.
 */
const fromSource = { conditions: ['@bezzie/source', ...defaultClientConditions] }

export default defineConfig(({ command }) => ({
  plugins: [react(), canonicalLocalhost()],
  resolve: command === 'serve' ? fromSource : {},
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { [BFF_PATHS]: toBff },
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    proxy: { [BFF_PATHS]: toBff },
  },
  build: { target: 'es2023', sourcemap: true },
}))

import { Hono } from 'hono'
import type { AppEnv } from './app-env.ts'
import { readConfig } from './config.ts'
import { ApiError, errorResponse } from './errors.ts'
import { requireBearer } from './require-bearer.ts'
import { billingRoutes } from './routes/billing.ts'
import { echoRoutes } from './routes/echo.ts'
import { meRoutes } from './routes/me.ts'
import { notesRoutes } from './routes/notes.ts'

const app = new Hono<AppEnv>()

app.use(async function validateEnv(c, next) {
  readConfig(c.env)
  await next()
})

app.get('/health', (c) => c.json({ status: 'ok' }))

app.use('/api/*', requireBearer())
app.route('/api/me', meRoutes)
app.route('/api/notes', notesRoutes())
app.route('/api/echo', echoRoutes)

app.use('/billing/api/*', requireBearer('billing'))
app.route('/billing/api/whoami', billingRoutes)

app.notFound((c) =>
  errorResponse(c, new ApiError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`)),
)
app.onError((error, c) => errorResponse(c, error))

export default app

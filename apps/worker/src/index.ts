import { ConfigError } from 'bezzie'
import { createApp } from './app.ts'
import { EnvError, readWorkerConfig } from './worker-config.ts'

// Durable Object classes must be exported by the Worker's main module to be bound: the session
// store (SESSION_STORE "durable-object") and KV's coordinator (SESSION_STORE "kv").
export { BezzieKVCoordinator, BezzieSessionStore } from 'bezzie/durable-object'

/** bezzie's option names → the environment variables they come from, for error messages. */
const VARIABLE_OF_OPTION: Record<string, string> = {
  issuer: 'ISSUER',
  clientId: 'CLIENT_ID',
  clientSecret: 'CLIENT_SECRET',
  audience: 'AUDIENCE',
  baseUrl: 'BASE_URL',
  secret: 'SESSION_SECRET',
}

function misconfigured(variable: string, message: string): Response {
  console.error(`[bezzie-worker] misconfigured: ${message}`)
  return Response.json(
    { error: 'server_misconfigured', variable, message },
    { status: 500, headers: { 'cache-control': 'no-store' } },
  )
}

/**
 * The app is built per request from `env`, as the bezzie README's per-request setup does:
 * `createBezzie` is cheap by
 * design (discovery metadata and JWKS are cached per isolate, keyed by issuer), and building
 * from the request's own `env` means a misconfiguration is reported on every request by
 * variable name instead of poisoning the isolate with a module-level throw.
 */
export default {
  fetch(request, env, ctx) {
    let app: ReturnType<typeof createApp>
    try {
      app = createApp(env, readWorkerConfig(env))
    } catch (error) {
      if (error instanceof EnvError) return misconfigured(error.variable, error.message)
      if (error instanceof ConfigError) {
        const variable = VARIABLE_OF_OPTION[error.option] ?? error.option
        return misconfigured(variable, `${variable}: ${error.message}`)
      }
      throw error
    }
    return app.fetch(request, env, ctx)
  },
} satisfies ExportedHandler<Env>

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Idp } from '@bezzie/idp'
import { freePort } from '@bezzie/test-support/free-port'
import { startIdpForBff } from '@bezzie/test-support/idp'
import { startWrangler, type WranglerProcess } from '@bezzie/test-support/wrangler'
import { runToCompletion } from './run-to-completion.ts'

const repo = join(import.meta.dirname, '..', '..')
const apps = {
  web: join(repo, 'apps', 'web'),
  worker: join(repo, 'apps', 'worker'),
  upstream: join(repo, 'apps', 'upstream-mock'),
}

/** Access token lifetime (in seconds) at the suite's IdP: short, so a test can outlive one. */
export const ACCESS_TOKEN_TTL = 5
/** The worker refreshes a token that expires within this many seconds. */
const REFRESH_BUFFER_SECONDS = 1
const CLIENT_ID = 'bezzie-e2e'
const CLIENT_SECRET = 'bezzie-e2e-client-secret'
const AUDIENCE = 'https://api.bezzie.local'

/** Where the running topology answers; handed to the tests through `process.env`. */
export interface TopologyUrls {
  /** The Pages origin the browser uses (SPA + Pages Functions → worker). */
  appUrl: string
  issuer: string
  workerUrl: string
  upstreamUrl: string
}

export interface Topology extends TopologyUrls {
  stop(): Promise<void>
}

function resolveBin(fromPackageDir: string, pkg: string, bin: string): string {
  const require = createRequire(join(fromPackageDir, 'package.json'))
  return join(dirname(require.resolve(`${pkg}/package.json`)), bin)
}

/**
 * The production topology on free ports: the IdP (apps/idp, in this process), upstream-mock and
 * the BFF worker under `wrangler dev`, and the built SPA under `wrangler pages dev` whose Pages
 * Functions reach the worker through the `BFF` service binding. The wrangler processes share a
 * private dev registry, so the binding can only find this suite's worker — never a developer's
 * `pnpm dev` worker of the same name.
 */
export async function startTopology(artifactsDir: string): Promise<Topology> {
  const scratch = mkdtempSync(join(tmpdir(), 'bezzie-e2e-'))
  const logs = join(artifactsDir, 'logs')
  mkdirSync(logs, { recursive: true })
  const [appPort, workerPort, upstreamPort] = [await freePort(), await freePort(), await freePort()]
  const appUrl = `http://127.0.0.1:${appPort}`
  const workerUrl = `http://127.0.0.1:${workerPort}`
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`
  const registryPath = join(scratch, 'registry')
  let idp: Idp | undefined
  const servers: WranglerProcess[] = []
  const stop = async () => {
    for (const server of servers.reverse()) await server.stop()
    await idp?.stop()
    rmSync(scratch, { recursive: true, force: true })
  }

  try {
    const dist = join(scratch, 'dist')
    const build = runToCompletion(
      [resolveBin(apps.web, 'vite', 'bin/vite.js'), 'build', '--outDir', dist, '--emptyOutDir'],
      apps.web,
    )
    idp = await startIdpForBff(
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        origins: [appUrl],
        // Through the Pages origin, as in production: the Pages Function forwards it.
        backchannelLogoutUri: `${appUrl}/auth/backchannel-logout`,
      },
      { accessTokenTtl: ACCESS_TOKEN_TTL, resource: AUDIENCE },
    )
    const vars = {
      ISSUER: idp.issuer,
      CLIENT_ID,
      CLIENT_SECRET,
      AUDIENCE,
      BASE_URL: appUrl,
      UPSTREAM_URL: upstreamUrl,
      // The reference config: sessions read from KV, the refresh lock, logout tombstones and the
      // index (back-channel logout, your devices) in KV's coordinator (wrangler.jsonc binds it).
      SESSION_STORE: 'kv',
      SESSION_SECRET: 'bezzie-e2e-session-secret-0123456789abcdef',
      REFRESH_BUFFER_SECONDS: String(REFRESH_BUFFER_SECONDS),
    }
    const started = await Promise.allSettled([
      startWrangler({
        cwd: apps.upstream,
        port: upstreamPort,
        vars: { ISSUER: idp.issuer, AUDIENCE },
        registryPath,
        logFile: join(logs, 'upstream-mock.log'),
        isReady: (response) => response.ok,
      }),
      startWrangler({
        cwd: apps.worker,
        port: workerPort,
        vars,
        registryPath,
        logFile: join(logs, 'worker.log'),
        isReady: (response) => response.ok,
      }),
    ])
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value)
    for (const result of started) if (result.status === 'rejected') throw result.reason
    await build
    servers.push(
      await startWrangler({
        cwd: apps.web,
        command: ['pages', 'dev', dist],
        port: appPort,
        args: ['--service', 'BFF=bezzie-worker'],
        registryPath,
        logFile: join(logs, 'pages.log'),
        // Answers only once the Pages Function reaches the worker through the binding.
        readyPath: '/auth/me',
        isReady: (response) => response.ok,
      }),
    )
  } catch (error) {
    await stop()
    throw error
  }
  return { appUrl, issuer: idp.issuer, workerUrl, upstreamUrl, stop }
}

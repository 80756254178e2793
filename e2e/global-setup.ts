import { join } from 'node:path'
import { startTopology } from './src/topology.ts'

/**
 * Starts one topology for the whole run (tests share it; workers: 1) and hands its URLs to the
 * test workers through the environment. The returned function is the teardown.
 */
export default async function globalSetup() {
  const started = Date.now()
  const topology = await startTopology(join(import.meta.dirname, 'artifacts'))
  process.env.E2E_APP_URL = topology.appUrl
  process.env.E2E_ISSUER = topology.issuer
  process.env.E2E_WORKER_URL = topology.workerUrl
  process.env.E2E_UPSTREAM_URL = topology.upstreamUrl
  console.log(
    `[e2e] topology up in ${Date.now() - started} ms: app ${topology.appUrl}, IdP ${topology.issuer}`,
  )
  return () => topology.stop()
}

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { exec } from '../lib/exec.ts'
import { gzipSize } from '../lib/gzip.ts'
import { fromRoot } from '../lib/paths.ts'

/** The Workers Free plan's limit on a Worker's compressed (gzip) size: 3 MiB. */
export const FREE_PLAN_LIMIT_BYTES = 3 * 1024 * 1024

export interface WorkerSize {
  files: { name: string; bytes: number; gz: number }[]
  bytes: number
  gz: number
  /** wrangler's own "Total Upload: … / gzip: …" line, when it printed one. */
  wranglerSays?: string
}

/** Builds a Worker as `wrangler deploy` would upload it, without uploading, and gzips the result. */
export async function measureWorker(appDir: string): Promise<WorkerSize> {
  const cwd = fromRoot(appDir)
  const out = await mkdtemp(path.join(os.tmpdir(), 'bezzie-worker-'))
  try {
    const run = await exec(
      path.join(cwd, 'node_modules/.bin/wrangler'),
      ['deploy', '--dry-run', '--outdir', out],
      {
        cwd,
        timeoutMs: 120_000,
      },
    )
    const files: WorkerSize['files'] = []
    for (const name of await readdir(out, { recursive: true })) {
      if (name.endsWith('.map') || name.endsWith('README.md')) continue
      const full = path.join(out, name)
      const data = await readFile(full).catch(() => null)
      if (!data) continue
      files.push({ name, bytes: data.byteLength, gz: gzipSize(data) })
    }
    const said = `${run.stdout}\n${run.stderr}`.match(/Total Upload:[^\n]*/)
    return {
      files,
      bytes: files.reduce((a, f) => a + f.bytes, 0),
      gz: files.reduce((a, f) => a + f.gz, 0),
      ...(said ? { wranglerSays: said[0].trim() } : {}),
    }
  } finally {
    await rm(out, { recursive: true, force: true })
  }
}

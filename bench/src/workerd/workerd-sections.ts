import os from 'node:os'
import type { BenchContext } from '../lib/context.ts'
import { type Section, section } from '../lib/report.ts'
import { workerdCpuSection } from './cpu-section.ts'
import { throughputSection } from './throughput-section.ts'
import { startWorkerdEnv, type WorkerdEnv } from './workerd-env.ts'
import { workerdStoresSection } from './workerd-stores-section.ts'

export const WORKERD_SECTIONS = {
  'workerd-cpu': { title: 'CPU per request inside workerd (loop route)', run: workerdCpuSection },
  throughput: { title: 'Throughput through workerd (wrangler dev)', run: throughputSection },
  'workerd-stores': {
    title: 'Store operations and refresh storms on KV and Durable Objects (workerd)',
    run: workerdStoresSection,
  },
} as const

export type WorkerdSectionId = keyof typeof WORKERD_SECTIONS

/** Runs the sections that need workerd against one `wrangler dev`, stopped (SIGTERM) at the end. */
export async function workerdSections(
  ctx: BenchContext,
  ids: readonly WorkerdSectionId[],
): Promise<Section[]> {
  let env: WorkerdEnv
  try {
    env = await startWorkerdEnv()
  } catch (err) {
    ctx.log(`  workerd sections not run: ${(err as Error).message}`)
    return ids.map((id) => {
      const s = section(id, WORKERD_SECTIONS[id].title)
      s.status = 'not-run'
      s.reason = (err as Error).message
      return s
    })
  }
  try {
    const out: Section[] = []
    for (const id of ids) {
      const { title, run } = WORKERD_SECTIONS[id]
      ctx.log(`▶ ${title}`)
      const t0 = Date.now()
      const load = os.loadavg()[0]
      let s: Section
      try {
        s = await run(ctx, env)
      } catch (err) {
        console.error(err)
        s = section(id, title)
        s.status = 'failed'
        s.reason = (err as Error).message
      }
      s.durationMs = Date.now() - t0
      s.loadAtStart = load
      ctx.log(
        `  ${s.status}${s.reason ? `: ${s.reason}` : ''} (${(s.durationMs / 1000).toFixed(1)} s)`,
      )
      out.push(s)
    }
    return out
  } finally {
    await env.stop()
  }
}

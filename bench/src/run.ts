import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { dpopSection } from './dpop/dpop-section.ts'
import { faultsSection } from './faults/faults-section.ts'
import type { BenchContext } from './lib/context.ts'
import { benchDir } from './lib/paths.ts'
import {
  machineInfo,
  type Report,
  type Section,
  section,
  updateReadme,
  writeReport,
} from './lib/report.ts'
import { overheadSection } from './overhead/overhead-section.ts'
import { sizeSection } from './size/size-section.ts'
import { stormSection } from './storm/storm-section.ts'
import { storeOpsSection } from './traffic/store-ops-section.ts'
import { trafficSection } from './traffic/traffic-section.ts'
import {
  WORKERD_SECTIONS,
  type WorkerdSectionId,
  workerdSections,
} from './workerd/workerd-sections.ts'

type SectionRunner = (ctx: BenchContext) => Promise<Section>

/** In-process sections, in run order; micro-benchmarks first while the machine is quietest. */
const SECTIONS: Record<string, { title: string; run: SectionRunner }> = {
  overhead: { title: 'Per-request overhead', run: overheadSection },
  traffic: { title: 'IdP and store traffic per request', run: trafficSection },
  'store-ops': { title: 'Store operations per login, refresh and logout', run: storeOpsSection },
  storm: { title: 'Refresh storm', run: stormSection },
  faults: { title: 'Faults survived', run: faultsSection },
  dpop: { title: 'DPoP: per-request cost of a proxied call', run: dpopSection },
}
const ALL = [...Object.keys(SECTIONS), ...Object.keys(WORKERD_SECTIONS), 'size']

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})

if (values.help) {
  console.log(`pnpm bench [-- --quick] [-- --only=${ALL.join(',')}] [-- --out=NAME]

Writes bench/results/latest.{md,json} (a full run) or bench/results/NAME.{md,json}.
--quick  short measuring phases, for development (results go to quick.{md,json} unless --out)`)
  process.exit(0)
}

const only = values.only?.split(',').map((s) => s.trim())
for (const id of only ?? []) {
  if (!ALL.includes(id)) {
    console.error(`Unknown section "${id}". Known: ${ALL.join(', ')}`)
    process.exit(2)
  }
}
const wanted = (id: string) => !only || only.includes(id)

const ctx: BenchContext = { quick: values.quick, log: (line) => console.log(line) }
const report: Report = {
  startedAt: new Date().toISOString(),
  finishedAt: '',
  command: `pnpm bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  quick: values.quick,
  machine: machineInfo(),
  sections: [],
}

async function runOne(id: string, title: string, run: () => Promise<Section>): Promise<void> {
  ctx.log(`▶ ${title}`)
  const t0 = Date.now()
  const load = os.loadavg()[0]
  let result: Section
  try {
    result = await run()
  } catch (err) {
    console.error(err)
    result = section(id, title)
    result.status = 'failed'
    result.reason = err instanceof Error ? err.message : String(err)
  }
  result.durationMs = Date.now() - t0
  result.loadAtStart = load
  report.sections.push(result)
  ctx.log(
    `  ${result.status}${result.reason ? `: ${result.reason}` : ''} (${(result.durationMs / 1000).toFixed(1)} s)`,
  )
}

for (const [id, { title, run }] of Object.entries(SECTIONS)) {
  if (wanted(id)) await runOne(id, title, () => run(ctx))
}
const workerdIds = (Object.keys(WORKERD_SECTIONS) as WorkerdSectionId[]).filter(wanted)
if (workerdIds.length > 0) report.sections.push(...(await workerdSections(ctx, workerdIds)))
if (wanted('size')) await runOne('size', 'Size', sizeSection)
report.finishedAt = new Date().toISOString()

const name = values.out ?? (values.quick || only ? 'quick' : 'latest')
const files = await writeReport(report, path.join(benchDir, 'results'), name)
ctx.log(`Wrote ${files.map((f) => path.relative(process.cwd(), f)).join(' and ')}`)
if (name === 'latest' && (await updateReadme(report, path.join(benchDir, 'README.md')))) {
  ctx.log('Updated the results table in bench/README.md')
}

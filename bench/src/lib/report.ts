import { mkdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export type Cell = string | number
export interface Table {
  caption?: string
  columns: string[]
  rows: Cell[][]
}

/** A stated goal and how the run fared against it. */
export interface Target {
  metric: string
  target: string
  actual: string
  met: boolean
  /** When missed: by how much and why. */
  why?: string
}

/** One line of the headline table (the one the README shows). */
export interface Headline {
  metric: string
  value: string
  target?: string
}

export interface Section {
  id: string
  title: string
  /** `not-run`: a prerequisite is missing; the reason says which. */
  status: 'ok' | 'partial' | 'not-run' | 'failed'
  reason?: string
  /** How the numbers were obtained, in a sentence or two. */
  method?: string
  tables: Table[]
  targets: Target[]
  headlines: Headline[]
  notes: string[]
  data?: unknown
  durationMs?: number
  /** 1-minute load average when the section started: above the core count, others were busy too. */
  loadAtStart?: number
}

export function section(id: string, title: string): Section {
  return { id, title, status: 'ok', tables: [], targets: [], headlines: [], notes: [] }
}

export interface Report {
  startedAt: string
  finishedAt: string
  command: string
  quick: boolean
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAverage: number[] }
  sections: Section[]
}

export function machineInfo(): Report['machine'] {
  const cpus = os.cpus()
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  }
}

const esc = (c: Cell) => String(c).replaceAll('|', '\\|').replaceAll('\n', ' ')

/**
 * A Markdown table. `aligned` pads every column to one width, the way the repo's formatter
 * (Biome) writes Markdown tables, so a README rewritten by the bench stays formatted.
 */
export function tableToMarkdown(t: Table, aligned = false): string {
  if (aligned) {
    const cells = [t.columns.map(esc), ...t.rows.map((r) => r.map(esc))]
    const width = t.columns.map((_, i) =>
      Math.max(3, ...cells.map((r) => [...(r[i] ?? '')].length)),
    )
    const pad = (v: string, i: number) => v + ' '.repeat((width[i] as number) - [...v].length)
    const row = (r: string[]) => `| ${r.map(pad).join(' | ')} |`
    const lines = [row(cells[0] as string[]), `| ${width.map((w) => '-'.repeat(w)).join(' | ')} |`]
    for (const r of cells.slice(1)) lines.push(row(r))
    return `${t.caption ? `${t.caption}\n\n` : ''}${lines.join('\n')}`
  }
  const lines = [
    `| ${t.columns.map(esc).join(' | ')} |`,
    `| ${t.columns.map(() => '---').join(' | ')} |`,
  ]
  for (const r of t.rows) lines.push(`| ${r.map(esc).join(' | ')} |`)
  return `${t.caption ? `${t.caption}\n\n` : ''}${lines.join('\n')}`
}

/** The summary table: one line per headline metric of every section that ran. */
export function headlineTable(report: Report): Table {
  const rows: Cell[][] = []
  for (const s of report.sections) {
    if (s.status === 'not-run') {
      rows.push([s.title, `not run: ${s.reason ?? ''}`, ''])
      continue
    }
    for (const h of s.headlines) rows.push([h.metric, h.value, h.target ?? ''])
  }
  return { columns: ['Metric', 'Result', 'Target'], rows }
}

export function reportToMarkdown(report: Report): string {
  const m = report.machine
  const out: string[] = [
    '# Bezzie benchmarks',
    '',
    `Run \`${report.command}\` from ${report.startedAt} to ${report.finishedAt}${report.quick ? ' (quick mode: short runs, numbers are rough)' : ''}.`,
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.platform}, Node ${m.node}, load average at start ${m.loadAverage.join(' / ')}.`,
    'The machine is shared: absolute times wander, so scenarios run interleaved in one process and the ratios are the numbers to trust.',
    '',
    '## Summary',
    '',
    tableToMarkdown(headlineTable(report)),
    '',
  ]
  const targets = report.sections.flatMap((s) => s.targets)
  if (targets.length > 0) {
    out.push('## Targets', '')
    out.push(
      tableToMarkdown({
        columns: ['Metric', 'Target', 'Actual', 'Met', 'Why (if missed)'],
        rows: targets.map((t) => [
          t.metric,
          t.target,
          t.actual,
          t.met ? 'yes' : '**no**',
          t.why ?? '',
        ]),
      }),
      '',
    )
  }
  for (const s of report.sections) {
    out.push(`## ${s.title}`, '')
    if (s.status !== 'ok')
      out.push(`**Status: ${s.status}**${s.reason ? ` — ${s.reason}` : ''}`, '')
    if (s.method) out.push(s.method, '')
    for (const t of s.tables) out.push(tableToMarkdown(t), '')
    for (const n of s.notes) out.push(`- ${n}`)
    if (s.notes.length > 0) out.push('')
    if (s.durationMs !== undefined) {
      const load =
        s.loadAtStart !== undefined
          ? `; 1-minute load average at its start ${s.loadAtStart.toFixed(2)} on ${m.cpus} cores`
          : ''
      out.push(`_Section took ${(s.durationMs / 1000).toFixed(1)} s${load}._`, '')
    }
  }
  return `${out.join('\n').trimEnd()}\n`
}

export async function writeReport(
  report: Report,
  dir: string,
  basename: string,
): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const md = path.join(dir, `${basename}.md`)
  const json = path.join(dir, `${basename}.json`)
  await writeFile(md, reportToMarkdown(report))
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`)
  return [md, json]
}

/**
 * Replaces the block between `<!-- results:start -->` and `<!-- results:end -->` in a README with
 * this run's headline table, so the README always shows the committed run.
 */
export async function updateReadme(report: Report, readmePath: string): Promise<boolean> {
  const text = await readFile(readmePath, 'utf8')
  const start = '<!-- results:start -->'
  const end = '<!-- results:end -->'
  const a = text.indexOf(start)
  const b = text.indexOf(end)
  if (a < 0 || b < a) return false
  const m = report.machine
  const block = [
    start,
    `\`${report.command}\`, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${m.cpus} × ${m.cpuModel}, Node ${m.node}, load average ${m.loadAverage[0]} at the start. ` +
      'Every table, the method and the notes are in [`results/latest.md`](results/latest.md).',
    '',
    tableToMarkdown(headlineTable(report), true),
    end,
  ].join('\n')
  await writeFile(readmePath, text.slice(0, a) + block + text.slice(b + end.length))
  return true
}

/**
 * The benchmark's report: the request table (wall times, requests by kind, round trips), the
 * process table (start-up, memory), the targets and notes, as Markdown (latest.md) and as raw
 * figures (latest.json, raw-<time>.json).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { formatCounts, maxOf, ms } from './format.js'
import type { Machine } from './machine.js'
import type { RssMeasure, StartupMeasure } from './measures.js'
import type { Options, Tool } from './options.js'
import type { CaseResult } from './outcome.js'
import type { Target } from './targets.js'

export const TOOL_NAME: Record<Tool, string> = {
  action: 'this Action',
  docker: 'docker manifest',
  podman: 'podman manifest'
}

/** One row per case and tool: wall median, min–max, one run's requests by kind, round trips, ratio. */
export function requestTable(results: CaseResult[], tools: Tool[]): string {
  const lines: string[] = []
  lines.push(
    '| case | tool | wall median | min–max | requests by kind, one run (**total**) | round trips | vs this Action |'
  )
  lines.push('|---|---|--:|--:|---|--:|--:|')
  for (const r of results) {
    const base = r.tools.action?.medianMs
    for (const t of tools) {
      const tr = r.tools[t]
      if (tr === undefined) continue
      if (tr.skipped !== undefined) {
        lines.push(`| ${r.title} | ${TOOL_NAME[t]} | — | — | skipped (see notes) | — | — |`)
        continue
      }
      const one = tr.runs[tr.runs.length - 1]
      const ratio =
        t === 'action' || base === undefined || tr.medianMs === undefined
          ? '1.0×'
          : `${(tr.medianMs / base).toFixed(1)}×`
      const countsNote =
        one === undefined
          ? '—'
          : `${formatCounts(one.counts)}${one.processes > 1 ? `; ${one.processes} processes` : ''}`
      lines.push(
        `| ${r.title} | ${TOOL_NAME[t]}${tr.failed ? ' **(failed)**' : ''} | ${ms(tr.medianMs ?? NaN)} | ${ms(tr.minMs ?? NaN)}–${ms(tr.maxMs ?? NaN)} | ${countsNote} | ${one?.roundTrips ?? '—'} | ${ratio} |`
      )
    }
  }
  return lines.join('\n')
}

/** Start-up and memory, measured in the same run. */
export function processTable(startup: StartupMeasure, memory: RssMeasure): string {
  const firstRequestMs = startup.firstRequestMedianMs
  const nodeBareMs = startup.nodeBareMedianMs
  const startupMs = startup.medianMs
  return [
    '| measure | this Action | for scale | ratio |',
    '|---|--:|---|--:|',
    `| time to first request: spawn → the first request of a 2-platform publish at the registry (median of ${startup.firstRequestRunsMs.length}) | ${firstRequestMs === undefined ? '—' : ms(firstRequestMs)} | \`node -e 0\`, whole process: ${ms(nodeBareMs)} (median of ${startup.nodeBareRunsMs.length}) | ${firstRequestMs === undefined ? '—' : `${(firstRequestMs / nodeBareMs).toFixed(2)}×`} |`,
    `| start-up failing on a missing input, whole process (median of ${startup.runsMs.length}) | ${ms(startupMs)} | \`node -e 0\`: ${ms(nodeBareMs)} | ${(startupMs / nodeBareMs).toFixed(2)}× |`,
    `| peak RSS, 32 platforms | ${maxOf(memory.mb)} | 2 platforms: ${memory.context['2 platforms']?.toFixed(1) ?? '?'} MB; failing fast: ${memory.context['start-up (fails fast)']?.toFixed(1) ?? '?'} MB | — |`,
    `| peak RSS, release of 40 images × 4 platforms × 2 tags | ${maxOf(memory.release40Mb)} | | — |`
  ].join('\n')
}

export interface Report {
  opts: Options
  machine: Machine
  bundle: { bytes: number; sha256: string }
  results: CaseResult[]
  startup: StartupMeasure
  memory: RssMeasure
  targets: Target[]
  notes: string[]
  /** performance.now() when the bench began. */
  began: number
}

/** Prints the Markdown report and writes latest.md, latest.json and raw-<time>.json to --out. */
export async function writeReport(report: Report): Promise<void> {
  const { opts, machine, startup, memory, targets, notes, results, began } = report
  const mark = (p: boolean | undefined): string => (p === undefined ? 'n/a' : p ? 'PASS' : 'MISS')
  const targetLines = targets.map((t) => `- **${mark(t.pass)}** ${t.target}: ${t.measured}`)
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
  const header = [
    `Machine: ${machine.nproc} cores, ${machine.cpu}, ${machine.os}, Node.js ${machine.node} for the Action and \`node -e 0\` (the bench on ${machine.benchNode}); ${machine.registry}; ${machine.docker ?? 'docker CLI absent'}; ${machine.podman ?? 'podman absent'}; load average ${machine.loadBefore} before, ${machine.loadAfter} after.`,
    `Command: \`${command}\` — ${opts.runs} runs per case, +${opts.latencyMs} ms per request at the proxy (token requests included), token auth.`
  ]
  const md = [
    ...header,
    '',
    requestTable(results, opts.tools),
    '',
    processTable(startup, memory),
    '',
    'Targets:',
    '',
    ...targetLines,
    ...(notes.length > 0 ? ['', 'Notes:', '', ...notes.map((n) => `- ${n}`)] : []),
    ''
  ].join('\n')

  console.log(`\n${md}`)
  await mkdir(opts.out, { recursive: true })
  const raw = {
    when: new Date().toISOString(),
    command,
    options: opts,
    machine,
    bundle: report.bundle,
    startup: {
      medianMs: startup.medianMs,
      runsMs: startup.runsMs,
      nodeBareMedianMs: startup.nodeBareMedianMs,
      nodeBareRunsMs: startup.nodeBareRunsMs,
      firstRequestMedianMs: startup.firstRequestMedianMs,
      firstRequestRunsMs: startup.firstRequestRunsMs
    },
    rss: memory,
    targets,
    notes,
    cases: results,
    benchSeconds: (performance.now() - began) / 1000
  }
  const json = `${JSON.stringify(raw, null, 2)}\n`
  await writeFile(join(opts.out, 'latest.md'), md)
  await writeFile(join(opts.out, 'latest.json'), json)
  await writeFile(join(opts.out, `raw-${raw.when.replace(/[:.]/g, '-')}.json`), json)
  console.log(
    `bench: wrote ${join(opts.out, 'latest.md')} and latest.json in ${((performance.now() - began) / 1000).toFixed(0)} s`
  )
}

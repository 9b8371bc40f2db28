/**
 * What one timed run of a tool gives (wall time, requests by kind, critical path, timeline) and
 * how the runs of a case are summed up (median, min, max, the first failure).
 */
import type { Ctx } from './context.js'
import { median } from './format.js'
import type { CaseId, Tool } from './options.js'
import { tail, type ProcResult } from './process.js'
import { criticalPath, type Path, type Timed } from './timeline.js'

/** A tool's timed run: one or more processes in sequence. */
export interface RunOutcome {
  ms: number
  ok: boolean
  problem?: string
  counts: Record<string, number>
  requests: number
  roundTrips: number
  path: Path
  /** Action only: spawn → first request, last answer → exit (ms). */
  beforeFirstRequestMs?: number
  afterLastAnswerMs?: number
  status?: string
  processes: number
  /** Every request: arrival–answer in ms after the first spawn, method, path, status. */
  timeline?: string[]
}

export function summarise(
  ctx: Ctx,
  procs: ProcResult[],
  extra: Partial<RunOutcome> = {}
): RunOutcome {
  const reqs = [...(ctx.proxy.requests as Timed[])]
  const failed = procs.find((p) => p.code !== 0)
  const first = procs[0]
  const last = procs[procs.length - 1]
  const out: RunOutcome = {
    ms: last.t1 - first.t0,
    ok: failed === undefined,
    counts: ctx.proxy.counts(),
    requests: reqs.length,
    roundTrips: 0,
    path: criticalPath(reqs),
    processes: procs.length,
    ...extra
  }
  out.roundTrips = out.path.roundTrips
  out.timeline = reqs.map(
    (r) =>
      `${((r.t0 ?? NaN) - first.t0).toFixed(1)}–${((r.t1 ?? NaN) - first.t0).toFixed(1)} ms ${r.method} ${r.path.split('?')[0].replace(/sha256:([0-9a-f]{12})[0-9a-f]+/, 'sha256:$1…')} ${r.status}`
  )
  if (failed !== undefined)
    out.problem = `exit ${failed.code ?? failed.signal}${failed.timedOut ? ' (timed out)' : ''}: ${tail(failed.stderr || failed.stdout)}`
  return out
}

export interface CaseResult {
  id: CaseId
  title: string
  tools: Partial<Record<Tool, ToolResult>>
}

export interface ToolResult {
  runs: RunOutcome[]
  medianMs?: number
  minMs?: number
  maxMs?: number
  skipped?: string
  failed?: string
}

export function finishTool(runs: RunOutcome[]): ToolResult {
  const bad = runs.find((r) => !r.ok)
  const times = runs.map((r) => r.ms)
  // The request timeline is kept for the last run only (the raw file stays small).
  for (const r of runs.slice(0, -1)) delete r.timeline
  const result: ToolResult = { runs }
  if (bad !== undefined) result.failed = bad.problem ?? 'failed'
  if (times.length > 0) {
    result.medianMs = median(times)
    result.minMs = Math.min(...times)
    result.maxMs = Math.max(...times)
  }
  return result
}

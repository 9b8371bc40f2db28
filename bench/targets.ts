/**
 * The performance targets (README, Performance) checked against one run's figures: each is
 * PASS, MISS, or n/a when what it needs was not measured.
 */
import { maxOf, ms } from './format.js'
import type { Machine } from './machine.js'
import type { RssMeasure, StartupMeasure } from './measures.js'
import type { CaseId, Options, Tool } from './options.js'
import type { CaseResult, ToolResult } from './outcome.js'

export interface Target {
  target: string
  pass: boolean | undefined
  measured: string
}

export function checkTargets(
  opts: Options,
  machine: Machine,
  results: CaseResult[],
  startup: StartupMeasure,
  memory: RssMeasure
): Target[] {
  const firstRequestMs = startup.firstRequestMedianMs
  const nodeBareMs = startup.nodeBareMedianMs
  const startupMs = startup.medianMs
  const { mb: rss, release40Mb: rssRelease } = memory
  const res = (id: CaseId, t: Tool): ToolResult | undefined =>
    results.find((r) => r.id === id)?.tools[t]
  const targets: Target[] = []
  targets.push({
    target: `time to first request at most 1.8× \`node -e 0\`'s whole-process time (medians, Node ${machine.node})`,
    pass: firstRequestMs === undefined ? undefined : firstRequestMs <= 1.8 * nodeBareMs,
    measured:
      firstRequestMs === undefined
        ? 'not measured'
        : `${(firstRequestMs / nodeBareMs).toFixed(2)}× (${ms(firstRequestMs)} vs ${ms(nodeBareMs)}; 1.8× is ${ms(1.8 * nodeBareMs)})`
  })
  const p5a = res('p5', 'action')
  const p5reqs = p5a?.runs.at(-1)?.requests
  targets.push({
    target: '5 platforms: at most 15 requests (confirming read included)',
    pass: p5reqs === undefined ? undefined : p5reqs <= 15,
    measured: p5reqs === undefined ? 'not run' : `${p5reqs} requests`
  })
  const ratioTarget = (id: CaseId, want: number): void => {
    const a = res(id, 'action')?.medianMs
    const d = res(id, 'docker')
    const ratio = a !== undefined && d?.medianMs !== undefined ? d.medianMs / a : undefined
    targets.push({
      target: `${id.slice(1)} platforms: at least ${want}× faster than docker manifest (median)`,
      pass: ratio === undefined || d?.failed ? undefined : ratio >= want,
      measured:
        ratio === undefined
          ? 'not measured (docker skipped or case not run)'
          : `${ratio.toFixed(2)}× (docker ${ms(d!.medianMs!)}, Action ${ms(a!)})`
    })
  }
  ratioTarget('p5', 2.5)
  ratioTarget('p32', 10)
  const r40a = res('r40', 'action')
  const r40reqs = r40a?.runs.at(-1)?.requests
  targets.push({
    target:
      'release of 40 images × 4 platforms × 2 tags: at most 560 requests (one token request per registry), no slower than 3.1 s',
    pass:
      r40reqs === undefined || r40a?.medianMs === undefined || r40a.failed
        ? undefined
        : r40reqs <= 560 && r40a.medianMs <= 3100,
    measured:
      r40reqs === undefined || r40a?.medianMs === undefined
        ? 'not run'
        : `${r40reqs} requests (${r40a.runs.at(-1)?.counts['GET token'] ?? 0} token); ${ms(r40a.medianMs)} median of ${r40a.runs.length}`
  })
  const bound = startupMs + 7 * opts.latencyMs
  const walls = (['p2', 'p5', 'p16', 'p32'] as CaseId[])
    .map((id) => ({ id, m: res(id, 'action')?.medianMs }))
    .filter((x): x is { id: CaseId; m: number } => x.m !== undefined)
  targets.push({
    target: `wall within start-up + 7 round trips (${ms(startupMs)} + 7 × ${opts.latencyMs} ms = ${ms(bound)}) for 2–32 platforms`,
    pass: walls.length === 0 ? undefined : walls.every((w) => w.m <= bound),
    measured: walls
      .map((w) => `${w.id.slice(1)}: ${ms(w.m)}${w.m <= bound ? '' : ` (+${ms(w.m - bound)})`}`)
      .join(', ')
  })
  const rerun = res('rerun', 'action')
  const rerunPuts = rerun?.runs.reduce((n, r) => n + (r.counts['PUT manifest'] ?? 0), 0)
  targets.push({
    target: 're-run with nothing to do: no PUT, and no slower than the first publish (5 platforms)',
    pass:
      rerun?.medianMs === undefined || p5a?.medianMs === undefined
        ? undefined
        : rerunPuts === 0 && rerun.medianMs <= p5a.medianMs && !rerun.failed,
    measured:
      rerun?.medianMs === undefined || p5a?.medianMs === undefined
        ? 'not run'
        : `${rerunPuts} PUT over ${rerun.runs.length} runs; ${ms(rerun.medianMs)} vs ${ms(p5a.medianMs)} publish`
  })
  targets.push({
    target: 'start-up (fails on a missing input): at most 120 ms median',
    pass: startup.problem === undefined ? startupMs <= 120 : false,
    measured: `${ms(startupMs)} median of ${opts.startupRuns} (bare \`node -e 0\`: ${ms(nodeBareMs)})${startup.problem ? `; ${startup.problem}` : ''}`
  })
  targets.push({
    target: 'peak RSS at most 80 MB at 32 platforms and for the 40-image release',
    pass:
      rss.length === 0 || rssRelease.length === 0
        ? undefined
        : Math.max(...rss, ...rssRelease) <= 80,
    measured: `32 platforms ${maxOf(rss)}; 40 images ${maxOf(rssRelease)} (${memory.method})`
  })
  return targets
}

/**
 * The timed part: seed every case, warm up, then each case's runs with the tools interleaved
 * within each run, so drift on the machine hits them alike.
 */
import { performance } from 'node:perf_hooks'
import { makeCases } from './cases.js'
import type { Ctx } from './context.js'
import { ms } from './format.js'
import type { Tool } from './options.js'
import { finishTool, type CaseResult, type RunOutcome } from './outcome.js'
import { seedCase } from './seeding.js'
import { timeAction } from './tools/action.js'
import { timeDocker } from './tools/docker.js'
import { timePodman } from './tools/podman.js'

export async function timeCases(
  ctx: Ctx,
  tools: ReadonlySet<Tool>,
  notes: string[]
): Promise<CaseResult[]> {
  const { opts } = ctx
  // Seed every case's per-arch images, straight at the registry (not counted, no latency).
  const cases = makeCases().filter((c) => opts.cases.includes(c.id))
  const seedStart = performance.now()
  let seeded = 0
  for (const c of cases) seeded += await seedCase(ctx.access, c)
  console.log(`bench: seeded ${seeded} per-arch images in ${ms(performance.now() - seedStart)}`)

  // Warm-up (file cache, first exec of each binary), untimed.
  const warm = cases.find((c) => c.id === 'p2') ?? cases[0]
  if (warm !== undefined) {
    await timeAction(ctx, warm)
    if (tools.has('docker')) await timeDocker(ctx, warm)
    if (tools.has('podman')) await timePodman(ctx, warm)
  }

  // Timed runs: tools interleaved within each run, so drift hits them alike.
  const results: CaseResult[] = []
  for (const c of cases) {
    const runs: Record<Tool, RunOutcome[]> = { action: [], docker: [], podman: [] }
    const caseTools = new Set(c.actionOnlyRuns === undefined ? tools : ['action'])
    const caseRuns = Math.min(opts.runs, c.actionOnlyRuns ?? opts.runs)
    if (c.actionOnlyRuns !== undefined && tools.size > 1)
      notes.push(
        `${c.title}: this Action only, ${caseRuns} runs (docker and podman would run a few processes per image and tag, minutes per run).`
      )
    if (c.rerun) {
      const first = await timeAction(ctx, { ...c, rerun: false })
      if (!first.ok) notes.push(`${c.id}: the untimed first publish failed: ${first.problem}`)
    }
    for (let i = 0; i < caseRuns; i++) {
      runs.action.push(await timeAction(ctx, c))
      if (caseTools.has('docker')) runs.docker.push(await timeDocker(ctx, c))
      if (caseTools.has('podman')) runs.podman.push(await timePodman(ctx, c))
    }
    const r: CaseResult = { id: c.id, title: c.title, tools: {} }
    for (const t of opts.tools) {
      r.tools[t] = caseTools.has(t) ? finishTool(runs[t]) : { runs: [], skipped: 'skipped' }
    }
    results.push(r)
    const line = opts.tools
      .filter((t) => caseTools.has(t))
      .map((t) => `${t} ${ms(r.tools[t]?.medianMs ?? NaN)}${r.tools[t]?.failed ? ' FAILED' : ''}`)
      .join(', ')
    console.log(`bench: ${c.title}: ${line}`)
  }
  return results
}

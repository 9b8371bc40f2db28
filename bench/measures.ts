/**
 * The Action as a process: its start-up and time to first request next to `node -e 0`, and its
 * peak resident memory at 32 platforms and for a 40-image release.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { makeCases, type Case } from './cases.js'
import type { Ctx } from './context.js'
import { median, ms } from './format.js'
import { runProc, tail } from './process.js'
import { seedCase, deleteIndexes } from './seeding.js'
import { actionEnv, actionInputs, runActionOnce, timeAction } from './tools/action.js'

/**
 * Peak RSS (MB) of the Action's node process: GNU time's report (wait4's ru_maxrss of the
 * child) where /usr/bin/time exists, else VmHWM from /proc/self/status written at exit by a
 * preloaded module. `inputs` undefined: the start-up run (no INPUT_IMAGES; fails fast).
 */
async function peakRss(
  ctx: Ctx,
  inputs: Record<string, string> | undefined,
  expect: string | undefined,
  gnuTime: boolean
): Promise<number | undefined> {
  const report = join(await mkdtemp(join(ctx.scratch, 'rss-')), 'report')
  let prefix: string[]
  let pattern: RegExp
  if (gnuTime) {
    prefix = ['/usr/bin/time', '-v', '-o', report, ctx.opts.node]
    pattern = /Maximum resident set size \(kbytes\): (\d+)/
  } else {
    const hook = `data:text/javascript,${encodeURIComponent(
      `import { readFileSync, writeFileSync } from 'node:fs'; process.on('exit', () => { try { writeFileSync(${JSON.stringify(report)}, readFileSync('/proc/self/status', 'utf8')) } catch {} })`
    )}`
    prefix = [ctx.opts.node, `--import=${hook}`]
    pattern = /VmHWM:\s*(\d+) kB/
  }
  const { proc, status } = await runActionOnce(ctx, inputs ?? {}, prefix)
  const kb = pattern.exec(await readFile(report, 'utf8').catch(() => ''))?.[1]
  const ok = inputs === undefined ? proc.code === 1 || proc.code === 0 : proc.code === 0
  if (!ok || (expect !== undefined && status !== expect) || kb === undefined) return undefined
  return Number(kb) / 1024
}

export interface StartupMeasure {
  /** The Action without INPUT_IMAGES, whole process (ms per run). */
  runsMs: number[]
  /** Set when a start-up run did not fail the expected way. */
  problem?: string
  /** `node -e 0`, whole process, same environment (ms per run). */
  nodeBareRunsMs: number[]
  /** Spawn → the first request of a 2-platform publish at the proxy (ms per run). */
  firstRequestRunsMs: number[]
  medianMs: number
  nodeBareMedianMs: number
  firstRequestMedianMs: number | undefined
}

/**
 * Start-up, interleaved so that drift hits all three alike: `node -e 0` as a whole process;
 * the Action without INPUT_IMAGES (it fails on the missing input before any request); and
 * the Action's time to its first request in a real 2-platform publish (spawn → the first
 * request arrives at the proxy), which counts everything a run does before it sends.
 */
export async function measureStartup(ctx: Ctx, notes: string[]): Promise<StartupMeasure> {
  const { opts } = ctx
  const startupTimes: number[] = []
  let startupProblem: string | undefined
  const nodeBare: number[] = []
  const firstRequest: number[] = []
  const p2case = makeCases().find((c) => c.id === 'p2')!
  if (!opts.cases.includes('p2')) await seedCase(ctx.access, p2case)
  for (let i = 0; i < opts.startupRuns; i++) {
    // The runner still passes every input's default; only the required `images` is missing.
    const { env, dir, cwd } = await actionEnv(ctx, {})
    try {
      const bare = await runProc(opts.node, ['-e', '0'], env, cwd)
      nodeBare.push(bare.ms)
      const p = await runProc(opts.node, [ctx.entry], env, cwd)
      startupTimes.push(p.ms)
      if (p.code !== 1) startupProblem = `exit ${p.code}, expected 1: ${tail(p.stdout)}`
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    const publish = await timeAction(ctx, p2case)
    if (publish.ok && publish.beforeFirstRequestMs !== undefined)
      firstRequest.push(publish.beforeFirstRequestMs)
    else notes.push(`a time-to-first-request run failed: ${publish.problem ?? 'no request seen'}`)
  }
  const startupMs = median(startupTimes)
  const nodeBareMs = median(nodeBare)
  const firstRequestMs = firstRequest.length > 0 ? median(firstRequest) : undefined
  console.log(
    `bench: node -e 0 ${ms(nodeBareMs)}; start-up (fails fast) ${ms(startupMs)}; first request after ${firstRequestMs === undefined ? '?' : ms(firstRequestMs)} (medians of ${opts.startupRuns})`
  )
  const measure: StartupMeasure = {
    runsMs: startupTimes,
    nodeBareRunsMs: nodeBare,
    firstRequestRunsMs: firstRequest,
    medianMs: startupMs,
    nodeBareMedianMs: nodeBareMs,
    firstRequestMedianMs: firstRequestMs
  }
  if (startupProblem !== undefined) measure.problem = startupProblem
  return measure
}

export interface RssMeasure {
  method: string
  /** Peak RSS (MB) per run at 32 platforms. */
  mb: number[]
  /** Peak RSS (MB) per run of the 40-image release. */
  release40Mb: number[]
  /** One run each, for scale: 2 platforms, and the start-up that fails fast. */
  context: Record<string, number | undefined>
}

/**
 * Peak RSS: 32 platforms and the 40-image release (the targets), and 2 platforms and the
 * fail-fast run for context.
 */
export async function measureRss(ctx: Ctx, gnuTime: boolean, notes: string[]): Promise<RssMeasure> {
  const { opts } = ctx
  const rssMethod = gnuTime
    ? 'GNU time -v: ru_maxrss of the node process'
    : 'VmHWM at exit, from a preloaded module'
  const rss: number[] = []
  const rssRelease: number[] = []
  const rssContext: Record<string, number | undefined> = {}
  const p32 = makeCases().find((c) => c.id === 'p32')
  const p2 = makeCases().find((c) => c.id === 'p2')
  const r40 = makeCases().find((c) => c.id === 'r40')
  if (p32 !== undefined && p2 !== undefined && r40 !== undefined && opts.rssRuns > 0) {
    for (const c of [p32, p2, r40] as Case[])
      if (!opts.cases.includes(c.id)) await seedCase(ctx.access, c)
    for (let i = 0; i < opts.rssRuns; i++) {
      await deleteIndexes(ctx, p32)
      const mb = await peakRss(ctx, actionInputs(ctx, p32), 'created', gnuTime)
      if (mb !== undefined) rss.push(mb)
      else notes.push('an RSS run at 32 platforms failed or gave no figure')
      await deleteIndexes(ctx, r40)
      const release = await peakRss(ctx, actionInputs(ctx, r40), 'created', gnuTime)
      if (release !== undefined) rssRelease.push(release)
      else notes.push('an RSS run of the 40-image release failed or gave no figure')
    }
    await deleteIndexes(ctx, p2)
    rssContext['2 platforms'] = await peakRss(ctx, actionInputs(ctx, p2), 'created', gnuTime)
    rssContext['start-up (fails fast)'] = await peakRss(ctx, undefined, undefined, gnuTime)
    console.log(
      `bench: peak RSS at 32 platforms ${rss.map((x) => x.toFixed(1)).join(', ')} MB, 40-image release ${rssRelease.map((x) => x.toFixed(1)).join(', ')} MB; ${Object.entries(
        rssContext
      )
        .map(([k, v]) => `${k} ${v?.toFixed(1) ?? '?'} MB`)
        .join('; ')}`
    )
  }
  return { method: rssMethod, mb: rss, release40Mb: rssRelease, context: rssContext }
}

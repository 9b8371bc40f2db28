/** This Action as a tool: `node dist/index.js` started the way a runner starts it. */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseOutputFile, prepareRunnerStep } from '../../script/runner-env.js'
import type { Case } from '../cases.js'
import type { Ctx } from '../context.js'
import { summarise, type RunOutcome } from '../outcome.js'
import { runProc, tail, type ProcResult } from '../process.js'
import { deleteIndexes } from '../seeding.js'
import { resetProxy, type Timed } from '../timeline.js'

/**
 * The step's environment through the one runner emulation the tests use
 * (script/runner-env.ts): every action.yml default filled in, made from scratch in a fresh
 * temp dir.
 */
export async function actionEnv(
  ctx: Ctx,
  inputs: Record<string, string>
): Promise<{ env: Record<string, string>; dir: string; cwd: string }> {
  const dir = await mkdtemp(join(ctx.scratch, 'action-'))
  // bench/run runs from the project root; the bundle's own path is a temp dir.
  const { env, cwd } = await prepareRunnerStep(
    dir,
    inputs,
    {},
    { actionYml: resolve('action.yml') }
  )
  return { env, dir, cwd }
}

export function actionInputs(ctx: Ctx, c: Case): Record<string, string> {
  const host = ctx.proxy.host
  const inputs: Record<string, string> = {
    tag: c.tag,
    username: ctx.username,
    password: ctx.password
  }
  if (c.components.length === 1) {
    inputs.images = `${host}/${c.components[0].repo}`
    inputs.platforms = c.components[0].plats.map((p) => p.text).join(', ')
  } else {
    inputs.images = c.components
      .map((m) => `${host}/${m.repo} = ${m.plats.map((p) => p.text).join(', ')}`)
      .join('\n')
  }
  if (c.template !== undefined) inputs['source-template'] = c.template
  if (c.extraTags.length > 0) inputs.tags = c.extraTags.join(', ')
  return inputs
}

export async function runActionOnce(
  ctx: Ctx,
  inputs: Record<string, string>,
  /** Runs `[...prefix, entry]` instead of `[node, entry]` (a wrapper that measures memory). */
  prefix?: string[]
): Promise<{ proc: ProcResult; status?: string }> {
  const { env, dir, cwd } = await actionEnv(ctx, inputs)
  try {
    const [cmd, ...args] = [...(prefix ?? [ctx.opts.node]), ctx.entry]
    const proc = await runProc(cmd, args, env, cwd)
    const outputs = parseOutputFile(await readFile(env.GITHUB_OUTPUT, 'utf8'))
    return { proc, status: outputs.status }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function timeAction(ctx: Ctx, c: Case): Promise<RunOutcome> {
  if (!c.rerun) await deleteIndexes(ctx, c)
  resetProxy(ctx.proxy)
  const { proc, status } = await runActionOnce(ctx, actionInputs(ctx, c))
  const reqs = ctx.proxy.requests as Timed[]
  const starts = reqs.map((r) => r.t0 ?? Infinity)
  const ends = reqs.map((r) => r.t1 ?? -Infinity)
  const out = summarise(ctx, [proc], { status })
  if (reqs.length > 0) {
    out.beforeFirstRequestMs = Math.min(...starts) - proc.t0
    out.afterLastAnswerMs = proc.t1 - Math.max(...ends)
  }
  const want = c.rerun ? 'unchanged' : 'created'
  if (out.ok && status !== want) {
    out.ok = false
    out.problem = `status ${status ?? '(none)'}, expected ${want}`
  }
  if (!out.ok && out.problem !== undefined && proc.code !== 0)
    out.problem += ` | ${tail(proc.stdout, 6)}`
  return out
}

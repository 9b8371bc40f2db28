/**
 * `docker manifest create` + `docker manifest push` as a tool: the docker CLI alone, no daemon,
 * with a temporary DOCKER_CONFIG holding the proxy's credentials.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sourceTag, type Case } from '../cases.js'
import type { Ctx } from '../context.js'
import { summarise, type RunOutcome } from '../outcome.js'
import { runProc, type ProcResult } from '../process.js'
import { resetProxy } from '../timeline.js'

async function dockerConfig(ctx: Ctx): Promise<string> {
  const dir = await mkdtemp(join(ctx.scratch, 'docker-'))
  const auth = Buffer.from(`${ctx.username}:${ctx.password}`).toString('base64')
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({ auths: { [ctx.proxy.host]: { auth } } }),
    { mode: 0o600 }
  )
  return dir
}

/** The docker manifest commands of a case: per component and tag, create then push. */
function dockerSteps(ctx: Ctx, c: Case): string[][] {
  const host = ctx.proxy.host
  const steps: string[][] = []
  for (const m of c.components) {
    const sources = m.plats.map((p) => `${host}/${m.repo}:${sourceTag(c.tag, p, c.template)}`)
    for (const tag of [c.tag, ...c.extraTags]) {
      const target = `${host}/${m.repo}:${tag}-docker`
      steps.push(['manifest', 'create', '--insecure', target, ...sources])
      steps.push(['manifest', 'push', '--insecure', target])
    }
  }
  return steps
}

export async function timeDocker(ctx: Ctx, c: Case): Promise<RunOutcome> {
  const dir = await dockerConfig(ctx)
  try {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, DOCKER_CONFIG: dir }
    resetProxy(ctx.proxy)
    const procs: ProcResult[] = []
    for (const args of dockerSteps(ctx, c)) {
      const p = await runProc('docker', args, env, dir)
      procs.push(p)
      if (p.code !== 0) break
    }
    return summarise(ctx, procs)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * `podman manifest create`/`add`/`push` as a tool: vfs storage in a temporary --root/--runroot,
 * credentials in a temporary REGISTRY_AUTH_FILE.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sourceTag, type Case } from '../cases.js'
import type { Ctx } from '../context.js'
import { summarise, type RunOutcome } from '../outcome.js'
import { runProc, tail, type ProcResult } from '../process.js'
import { resetProxy } from '../timeline.js'

async function podmanHome(ctx: Ctx): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await mkdtemp(join(ctx.scratch, 'podman-'))
  const auth = Buffer.from(`${ctx.username}:${ctx.password}`).toString('base64')
  await writeFile(
    join(dir, 'auth.json'),
    JSON.stringify({ auths: { [ctx.proxy.host]: { auth } } }),
    { mode: 0o600 }
  )
  await mkdir(join(dir, 'home'))
  return {
    dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(dir, 'home'),
      REGISTRY_AUTH_FILE: join(dir, 'auth.json')
    }
  }
}

function podmanGlobal(dir: string): string[] {
  return ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--storage-driver', 'vfs']
}

/**
 * The podman commands of a case: per component `manifest create` (an empty list), one
 * `manifest add` of every source, then one `manifest push` per tag. (podman 4.3's
 * `manifest create --tls-verify=false LIST IMAGE...` does not pass the flag on to the images it
 * adds and fails with "server gave HTTP response to HTTPS client"; `manifest add` honours it.)
 * `--all=false`: the children are already in the repository, so only the list is pushed, the
 * same work as docker and the Action (podman's default --all copies each child image again).
 */
function podmanSteps(ctx: Ctx, c: Case, dir: string): string[][] {
  const host = ctx.proxy.host
  const steps: string[][] = []
  c.components.forEach((m, i) => {
    const list = `localhost/bench-list-${i}`
    const sources = m.plats.map(
      (p) => `docker://${host}/${m.repo}:${sourceTag(c.tag, p, c.template)}`
    )
    steps.push([...podmanGlobal(dir), 'manifest', 'create', list])
    steps.push([...podmanGlobal(dir), 'manifest', 'add', '--tls-verify=false', list, ...sources])
    for (const tag of [c.tag, ...c.extraTags]) {
      steps.push([
        ...podmanGlobal(dir),
        'manifest',
        'push',
        '--tls-verify=false',
        '--all=false',
        list,
        `docker://${host}/${m.repo}:${tag}-podman`
      ])
    }
  })
  return steps
}

export async function timePodman(ctx: Ctx, c: Case): Promise<RunOutcome> {
  const { dir, env } = await podmanHome(ctx)
  try {
    resetProxy(ctx.proxy)
    const procs: ProcResult[] = []
    for (const args of podmanSteps(ctx, c, dir)) {
      const p = await runProc('podman', args, env, dir)
      procs.push(p)
      if (p.code !== 0) break
    }
    return summarise(ctx, procs)
  } finally {
    // vfs layers are plain directories; nothing is mounted by manifest commands.
    await rm(dir, { recursive: true, force: true })
  }
}

/** Can podman run its manifest commands here? Tries one, in a temp root. */
export async function podmanProbe(ctx: Ctx): Promise<string | undefined> {
  const { dir, env } = await podmanHome(ctx)
  try {
    const p = await runProc(
      'podman',
      [...podmanGlobal(dir), 'manifest', 'create', 'localhost/bench-probe'],
      env,
      dir
    )
    return p.code === 0 ? undefined : `podman manifest create failed: ${tail(p.stderr, 3)}`
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

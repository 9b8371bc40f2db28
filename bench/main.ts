/**
 * The benchmark (`npm run bench`: bench/run bundles this file and runs it): this Action against
 * the tools a release engineer would use instead, on the same real registry behind the same
 * latency.
 *
 * Starts the CNCF distribution registry on 127.0.0.1 with token auth, puts the fault proxy in
 * front of it (a fixed latency per request, token requests through the proxy too, requests
 * counted by `METHOD kind`), seeds per-arch images, and times whole processes:
 *
 *   - this Action: `node dist/index.js` with INPUT_* variables, GITHUB_OUTPUT and
 *     GITHUB_STEP_SUMMARY files and an environment made from scratch, as a runner runs it;
 *   - `docker manifest create` + `docker manifest push` (the docker CLI, no daemon needed);
 *   - `podman manifest create` + `podman manifest push` (vfs storage, temp --root/--runroot).
 *
 * Also, interleaved in one loop: `node -e 0` as a whole process, the Action's start-up
 * (without INPUT_IMAGES, failing fast) and its time to first request (spawn → the first request
 * of a 2-platform publish arrives at the proxy); and the Action's peak RSS at 32 platforms and
 * for a 40-image release. The Action and `node -e 0` run on `--node` (bench/run passes the
 * runners' Node 24). Prints one Markdown table and the targets with pass/miss, and writes
 * bench/results/latest.md, latest.json and raw-<time>.json.
 *
 * The parts, one concern each: options.ts (command line), cases.ts and seeding.ts (what is
 * published), tools/ (how each tool is run), process.ts and timeline.ts (processes, the
 * requests' timeline and critical path), measures.ts (start-up, memory), targets.ts, report.ts.
 * The registry, the proxy and the seeding come from support/, shared with the tests.
 *
 * Options: see options.ts.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { startRegistry, type RunningRegistry } from '../support/registry.js'
import { accessFor } from '../support/seed.js'
import type { Ctx } from './context.js'
import { describeMachine, loadAverage } from './machine.js'
import { measureRss, measureStartup } from './measures.js'
import { parseArgs } from './options.js'
import { killLiveProcesses } from './process.js'
import { TOOL_NAME, writeReport } from './report.js'
import { checkTargets } from './targets.js'
import { timeCases } from './timed-runs.js'
import { availableTools } from './tools/available.js'

/**
 * Copies dist/ into `scratch` so every run uses one snapshot of the bundle (dist/index.js and
 * the chunks it loads), even if dist/ is rebuilt while the bench runs. The package.json beside
 * it keeps it an ES module as in dist/ (without one Node 20 first tries the file as CommonJS,
 * which costs start-up time and memory). Returns the entry and the bundle's size and hash.
 */
async function snapshotBundle(
  root: string,
  scratch: string
): Promise<{ entry: string; bundle: { bytes: number; sha256: string } }> {
  const bundle = readFileSync(resolve(root, 'dist/index.js'))
  await cp(resolve(root, 'dist'), join(scratch, 'dist'), { recursive: true })
  await writeFile(join(scratch, 'dist', 'package.json'), '{ "type": "module" }\n')
  return {
    entry: join(scratch, 'dist', 'index.js'),
    bundle: { bytes: bundle.length, sha256: createHash('sha256').update(bundle).digest('hex') }
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2))
  const began = performance.now()
  const root = process.cwd()
  const dist = resolve(root, 'dist/index.js')
  if (!existsSync(dist)) throw new Error('dist/index.js is missing: run `npm run bundle` first')

  const machine = describeMachine(opts)
  const notes: string[] = []

  const scratch = await mkdtemp(join(tmpdir(), 'mai-bench-'))
  const { entry, bundle } = await snapshotBundle(root, scratch)
  let registry: RunningRegistry | undefined
  let proxy: FaultProxy | undefined
  const cleanup = async (): Promise<void> => {
    killLiveProcesses()
    await proxy?.stop()
    await registry?.stop()
    await rm(scratch, { recursive: true, force: true })
  }
  const onSignal = (sig: NodeJS.Signals): void => {
    console.error(`\nbench: ${sig}, stopping`)
    void cleanup().finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  try {
    registry = await startRegistry({ auth: 'token' })
    const tokenServer = registry.tokenServer
    if (tokenServer === undefined) throw new Error('token registry without a token server')
    proxy = await startFaultProxy(registry.url, {
      latencyMs: opts.latencyMs,
      tokenTarget: tokenServer.url
    })
    const [username, password] = Object.entries(registry.users)[0]
    const ctx: Ctx = {
      opts,
      registry,
      proxy,
      access: accessFor(registry),
      username,
      password,
      entry,
      scratch
    }
    console.log(
      `bench: registry ${registry.url} (token auth), proxy ${proxy.url} (+${opts.latencyMs} ms per request, token requests through it), ${opts.runs} runs per case`
    )

    const tools = await availableTools(ctx, machine, notes)
    const results = await timeCases(ctx, tools, notes)
    const startup = await measureStartup(ctx, notes)
    const memory = await measureRss(ctx, machine.gnuTime, notes)
    const targets = checkTargets(opts, machine, results, startup, memory)
    for (const r of results)
      for (const t of opts.tools) {
        const f = r.tools[t]?.failed
        if (f !== undefined) notes.push(`${r.title}, ${TOOL_NAME[t]}: failed: ${f}`)
      }
    machine.loadAfter = loadAverage()
    await writeReport({ opts, machine, bundle, results, startup, memory, targets, notes, began })
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await cleanup()
  }
}

await main()

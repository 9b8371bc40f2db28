/**
 * The benchmark (run by `npm run bench`, i.e. bench/run): this Action against the tools a
 * release engineer would use instead, on the same real registry behind the same latency.
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
 * Options: --runs N (5) --latency MS (30) --startup-runs N (20) --rss-runs N (3) --node PATH
 *          --tools action,docker,podman --cases p2,p5,p16,p32,tags,retina,rerun,r40 --out DIR
 */
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startFaultProxy, type FaultProxy } from '../__tests__/helpers/fault-proxy.js'
import type { ProxiedRequest } from '../__tests__/helpers/counting-proxy.js'
import { startRegistry, type RunningRegistry } from '../__tests__/helpers/registry.js'
import { parseOutputFile, prepareRunnerStep } from '../script/runner-env.js'
import {
  accessFor,
  deleteManifest,
  MANIFEST_ACCEPT,
  pushImage,
  type ImageOptions,
  type RegistryAccess
} from '../__tests__/helpers/seed.js'

// ───────────────────────────── options ─────────────────────────────

type Tool = 'action' | 'docker' | 'podman'
const ALL_TOOLS: Tool[] = ['action', 'docker', 'podman']
const ALL_CASES = ['p2', 'p5', 'p16', 'p32', 'tags', 'retina', 'rerun', 'r40'] as const
type CaseId = (typeof ALL_CASES)[number]

interface Options {
  runs: number
  latencyMs: number
  startupRuns: number
  rssRuns: number
  /** The Node.js binary that runs the Action and `node -e 0`. */
  node: string
  tools: Tool[]
  cases: CaseId[]
  out: string
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    runs: 5,
    latencyMs: 30,
    startupRuns: 20,
    rssRuns: 3,
    node: process.execPath,
    tools: [...ALL_TOOLS],
    cases: [...ALL_CASES],
    out: resolve('bench/results')
  }
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < min) throw new Error(`${name}: expected an integer ≥ ${min}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2)
    const value = (): string | undefined => inline ?? argv[++i]
    switch (flag) {
      case '--runs':
        o.runs = int(flag, value(), 1)
        break
      case '--latency':
        o.latencyMs = int(flag, value(), 0)
        break
      case '--startup-runs':
        o.startupRuns = int(flag, value(), 1)
        break
      case '--rss-runs':
        o.rssRuns = int(flag, value(), 0)
        break
      case '--tools': {
        const list = (value() ?? '').split(',').filter(Boolean)
        for (const t of list)
          if (!ALL_TOOLS.includes(t as Tool)) throw new Error(`--tools: unknown tool ${t}`)
        o.tools = list as Tool[]
        break
      }
      case '--cases': {
        const list = (value() ?? '').split(',').filter(Boolean)
        for (const c of list)
          if (!ALL_CASES.includes(c as CaseId)) throw new Error(`--cases: unknown case ${c}`)
        o.cases = list as CaseId[]
        break
      }
      case '--out':
        o.out = resolve(value() ?? 'bench/results')
        break
      case '--node':
        o.node = value() ?? process.execPath
        break
      case '--help':
        console.log(
          'npm run bench -- [--runs N] [--latency MS] [--startup-runs N] [--rss-runs N] [--node PATH] [--tools action,docker,podman] [--cases p2,p5,p16,p32,tags,retina,rerun,r40] [--out DIR]'
        )
        process.exit(0)
        break
      default:
        throw new Error(`unknown option ${argv[i]} (try --help)`)
    }
  }
  if (!o.tools.includes('action')) throw new Error('--tools must include action (ratios need it)')
  return o
}

// ───────────────────────────── cases ─────────────────────────────

/** One expected platform: its `platforms` text, the image config it is seeded with, its source tag. */
interface Plat {
  text: string
  image: ImageOptions
}

interface Component {
  repo: string
  plats: Plat[]
}

interface Case {
  id: CaseId
  title: string
  components: Component[]
  tag: string
  extraTags: string[]
  /** The source-template input (undefined: the Action's default). */
  template?: string
  /** Re-run: the Action's index is created once before timing and never deleted. */
  rerun?: boolean
  /**
   * Only this Action is timed, over at most this many runs: the docker and podman runs of a
   * 40-image release would take minutes per run (a few processes per image and tag).
   */
  actionOnlyRuns?: number
}

/** Renders the Action's default template, or `{tag}-{os}{-osversion}-{arch}{-variant}`. */
function sourceTag(tag: string, p: Plat, template: string | undefined): string {
  const { os, architecture, variant, osVersion } = p.image
  const dash = (v: string | undefined): string => (v ? `-${v}` : '')
  if (template === OSVERSION_TEMPLATE) {
    const expectedVersion = /\(([^)]*)\)/.exec(p.text)?.[1]
    return `${tag}-${os}${dash(expectedVersion)}-${architecture}${dash(variant)}`
  }
  const build = osVersion?.split('.')[2]
  const release = build === '17763' ? 'ltsc2019' : build === '20348' ? 'ltsc2022' : undefined
  return `${tag}-${os}${dash(release)}-${architecture}${dash(variant)}`
}

/** Lets many Windows builds have distinct source tags (the default template uses the release name). */
const OSVERSION_TEMPLATE = '{tag}-{os}{-osversion}-{arch}{-variant}'

const LINUX: Array<[string, string?]> = [
  ['amd64'],
  ['arm64'],
  ['arm', 'v7'],
  ['arm', 'v6'],
  ['386'],
  ['ppc64le'],
  ['s390x'],
  ['riscv64'],
  ['mips64le']
]
/** Real Windows builds (10.0.<build>), LTSC first. */
const WINDOWS_BUILDS = [
  '17763',
  '20348',
  '26100',
  '14393',
  '16299',
  '17134',
  '18362',
  '18363',
  '19041',
  '19042',
  '19043',
  '19044',
  '19045',
  '22000',
  '22621',
  '22631',
  '25398',
  '10240',
  '10586',
  '15063'
]
const MORE_LINUX: Array<[string, string?]> = [
  ['arm', 'v5'],
  ['amd64', 'v2'],
  ['amd64', 'v3'],
  ['loong64'],
  ['mips64'],
  ['ppc64']
]

function linuxPlat([architecture, variant]: [string, string?]): Plat {
  const image: ImageOptions = { os: 'linux', architecture }
  if (variant) image.variant = variant
  return { text: `linux/${architecture}${variant ? `/${variant}` : ''}`, image }
}

function platforms(n: number): Plat[] {
  const all: Plat[] = [
    ...LINUX.map(linuxPlat),
    ...WINDOWS_BUILDS.map((b) => ({
      text: `windows(10.0.${b})/amd64`,
      image: { os: 'windows', architecture: 'amd64', osVersion: `10.0.${b}.1000` }
    })),
    ...MORE_LINUX.map(linuxPlat)
  ]
  if (n > all.length) throw new Error(`at most ${all.length} platforms`)
  return all.slice(0, n)
}

const RETINA_LINUX = [linuxPlat(['amd64']), linuxPlat(['arm64'])]

function makeCases(): Case[] {
  const synthetic = (id: CaseId, n: number, title: string, extra: Partial<Case> = {}): Case => ({
    id,
    title,
    components: [{ repo: `bench/${id}`, plats: platforms(n) }],
    tag: 'v1',
    extraTags: [],
    template: n > LINUX.length ? OSVERSION_TEMPLATE : undefined,
    ...extra
  })
  return [
    synthetic('p2', 2, '2 platforms, 1 tag'),
    synthetic('p5', 5, '5 platforms, 1 tag'),
    synthetic('p16', 16, '16 platforms, 1 tag'),
    synthetic('p32', 32, '32 platforms, 1 tag'),
    synthetic('tags', 5, '5 platforms, 3 tags', { extraTags: ['latest', '1'] }),
    {
      id: 'retina',
      title: 'Retina release (5 images, 11 platforms)',
      tag: 'v0.0.31',
      extraTags: [],
      components: [
        {
          repo: 'microsoft/retina/retina-agent',
          plats: [
            ...RETINA_LINUX,
            {
              text: 'windows(ltsc2019)/amd64',
              image: { os: 'windows', architecture: 'amd64', osVersion: '10.0.17763.7009' }
            },
            {
              text: 'windows(ltsc2022)/amd64',
              image: { os: 'windows', architecture: 'amd64', osVersion: '10.0.20348.3453' }
            }
          ]
        },
        { repo: 'microsoft/retina/retina-init', plats: RETINA_LINUX },
        { repo: 'microsoft/retina/retina-operator', plats: [RETINA_LINUX[0]] },
        { repo: 'microsoft/retina/retina-shell', plats: RETINA_LINUX },
        { repo: 'microsoft/retina/kubectl-retina', plats: RETINA_LINUX }
      ]
    },
    synthetic('rerun', 5, 're-run, nothing to do (5 platforms)', { rerun: true }),
    {
      id: 'r40',
      title: 'release of 40 images × 4 platforms × 2 tags',
      tag: 'v1',
      extraTags: ['latest'],
      components: Array.from({ length: 40 }, (_, i) => ({
        repo: `bench/r40/image-${i + 1}`,
        plats: platforms(4)
      })),
      actionOnlyRuns: 3
    }
  ]
}

// ───────────────────────────── processes ─────────────────────────────

interface ProcResult {
  code: number | null
  signal: NodeJS.Signals | null
  ms: number
  stdout: string
  stderr: string
  timedOut: boolean
  /** performance.now() at spawn and at exit (same clock as the proxy's timeline). */
  t0: number
  t1: number
}

const PROC_TIMEOUT_MS = 120_000
const KEEP = 64 * 1024
const live = new Set<number>()

/** Spawns one process with exactly `env`; bounded, killed by pid after PROC_TIMEOUT_MS. */
function runProc(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd: string
): Promise<ProcResult> {
  return new Promise((resolveRun) => {
    const t0 = performance.now()
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    if (child.pid !== undefined) live.add(child.pid)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < KEEP) stdout += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < KEEP) stderr += c.toString()
    })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      if (child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL')
        } catch {
          // gone
        }
      }
    }, PROC_TIMEOUT_MS)
    let done = false
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (done) return
      done = true
      const t1 = performance.now()
      clearTimeout(timer)
      if (child.pid !== undefined) live.delete(child.pid)
      resolveRun({ code, signal, ms: t1 - t0, stdout, stderr, timedOut, t0, t1 })
    }
    // 'exit' (not 'close'): the wall time is the process's, not that of a pipe a grandchild holds.
    child.once('exit', finish)
    child.once('error', (err) => {
      stderr += `spawn failed: ${err.message}\n`
      finish(127, null)
    })
  })
}

function tail(text: string, lines = 4): string {
  return text.trim().split('\n').slice(-lines).join(' | ').slice(0, 400)
}

// ───────────────────────────── proxy timeline ─────────────────────────────

/** A proxied request with arrival and answer times (performance.now(), this process's clock). */
interface Timed extends ProxiedRequest {
  t0?: number
  t1?: number
}

/**
 * The proxy records each request when it arrives and sets its status when it answers; timing
 * both (by wrapping the record array's push and the records' status) gives each request's span
 * on the bench's own clock, without touching the helper.
 */
function instrument(proxy: FaultProxy): void {
  const arr = proxy.requests as Timed[]
  const push = arr.push
  arr.push = function (...items: Timed[]): number {
    const now = performance.now()
    for (const rec of items) {
      rec.t0 = now
      let status = rec.status
      Object.defineProperty(rec, 'status', {
        enumerable: true,
        configurable: true,
        get: () => status,
        set: (v: number) => {
          status = v
          if (v !== 0 && rec.t1 === undefined) rec.t1 = performance.now()
        }
      })
    }
    return push.apply(this, items)
  }
}

function resetProxy(proxy: FaultProxy): void {
  proxy.reset()
  instrument(proxy)
}

/** The critical path of one run as the registry saw it. */
interface Path {
  /** Round trips on the critical path: the longest chain of requests each of which started after the previous one was answered. */
  roundTrips: number
  /** First request's arrival → last answer. */
  spanMs: number
  /** Time the requests of that chain were at the proxy (latency + registry/token server). */
  busyMs: number
  /** Median time from a request's arrival to its answer. */
  medianRequestMs: number
}

function criticalPath(reqs: Timed[]): Path {
  const sorted = reqs
    .filter((r) => r.t0 !== undefined && r.t1 !== undefined)
    .sort((a, b) => a.t0! - b.t0!)
  if (sorted.length === 0) return { roundTrips: 0, spanMs: 0, busyMs: 0, medianRequestMs: 0 }
  const depth: number[] = []
  const busy: number[] = []
  for (let i = 0; i < sorted.length; i++) {
    let d = 1
    let b = 0
    for (let j = 0; j < i; j++) {
      if (sorted[j].t1! <= sorted[i].t0! + 0.05 && depth[j] + 1 > d) {
        d = depth[j] + 1
        b = busy[j]
      }
    }
    depth.push(d)
    busy.push(b + (sorted[i].t1! - sorted[i].t0!))
  }
  let last = 0
  for (let i = 1; i < sorted.length; i++)
    if (depth[i] > depth[last] || (depth[i] === depth[last] && sorted[i].t1! > sorted[last].t1!))
      last = i
  return {
    roundTrips: depth[last],
    spanMs: Math.max(...sorted.map((r) => r.t1!)) - sorted[0].t0!,
    busyMs: busy[last],
    medianRequestMs: median(sorted.map((r) => r.t1! - r.t0!))
  }
}

// ───────────────────────────── tools ─────────────────────────────

interface Ctx {
  opts: Options
  registry: RunningRegistry
  proxy: FaultProxy
  access: RegistryAccess
  username: string
  password: string
  entry: string
  scratch: string
}

/** A tool's timed run: one or more processes in sequence. */
interface RunOutcome {
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

/**
 * The step's environment through the one runner emulation the tests use
 * (script/runner-env.ts): every action.yml default filled in, made from scratch in a fresh
 * temp dir.
 */
async function actionEnv(
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

function actionInputs(ctx: Ctx, c: Case): Record<string, string> {
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

/** Deletes whatever index the case's tags hold (by digest, straight at the registry, uncounted). */
async function deleteIndexes(ctx: Ctx, c: Case): Promise<void> {
  for (const m of c.components) {
    for (const tag of [c.tag, ...c.extraTags]) {
      const auth = await ctx.access.authHeader?.(m.repo)
      const headers: Record<string, string> = { accept: MANIFEST_ACCEPT }
      if (auth !== undefined) headers.authorization = auth
      const res = await fetch(`${ctx.registry.url}/v2/${m.repo}/manifests/${tag}`, {
        method: 'HEAD',
        headers,
        signal: AbortSignal.timeout(15_000)
      })
      if (res.status === 404) continue
      const digest = res.headers.get('docker-content-digest')
      if (res.status !== 200 || digest === null)
        throw new Error(`HEAD ${m.repo}:${tag} answered ${res.status}`)
      const del = await deleteManifest(ctx.access, m.repo, digest)
      if (del.status !== 202 && del.status !== 404)
        throw new Error(`DELETE ${m.repo}@${digest} answered ${del.status}: ${del.body}`)
    }
  }
}

async function runActionOnce(
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

function summarise(ctx: Ctx, procs: ProcResult[], extra: Partial<RunOutcome> = {}): RunOutcome {
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

async function timeAction(ctx: Ctx, c: Case): Promise<RunOutcome> {
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

// docker ------------------------------------------------------------------

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

async function timeDocker(ctx: Ctx, c: Case): Promise<RunOutcome> {
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

// podman ------------------------------------------------------------------

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

async function timePodman(ctx: Ctx, c: Case): Promise<RunOutcome> {
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

// ───────────────────────────── availability ─────────────────────────────

function commandVersion(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 20_000, stdio: 'pipe' })
      .trim()
      .split('\n')[0]
  } catch {
    return undefined
  }
}

/** Can podman run its manifest commands here? Tries one, in a temp root. */
async function podmanProbe(ctx: Ctx): Promise<string | undefined> {
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

// ───────────────────────────── statistics & formatting ─────────────────────────────

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const KIND_ORDER = [
  'GET ping',
  'GET token',
  'POST token',
  'HEAD manifest',
  'GET manifest',
  'HEAD blob',
  'GET blob',
  'PUT manifest',
  'DELETE manifest'
]

function formatCounts(counts: Record<string, number>): string {
  const keys = Object.keys(counts).sort((a, b) => {
    const ia = KIND_ORDER.indexOf(a)
    const ib = KIND_ORDER.indexOf(b)
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b)
  })
  const total = Object.values(counts).reduce((a, b) => a + b, 0)
  return `${keys.map((k) => `${k} ${counts[k]}`).join(', ')} (**${total}**)`
}

function ms(x: number): string {
  return x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`
}

interface CaseResult {
  id: CaseId
  title: string
  tools: Partial<Record<Tool, ToolResult>>
}

interface ToolResult {
  runs: RunOutcome[]
  medianMs?: number
  minMs?: number
  maxMs?: number
  skipped?: string
  failed?: string
}

function finishTool(runs: RunOutcome[]): ToolResult {
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

// ───────────────────────────── main ─────────────────────────────

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2))
  const began = performance.now()
  const root = process.cwd()
  const dist = resolve(root, 'dist/index.js')
  if (!existsSync(dist)) throw new Error('dist/index.js is missing: run `npm run bundle` first')

  const machine = {
    nproc: cpus().length,
    cpu: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown',
    /** The Node.js that runs the Action (`--node`), and the one that runs this bench. */
    node: commandVersion(opts.node, ['--version']) ?? `unknown (${opts.node})`,
    benchNode: process.version,
    os: /PRETTY_NAME="?([^"\n]*)/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown',
    registry: commandVersion('docker-registry', ['--version']) ?? 'unknown',
    docker: commandVersion('docker', ['--version']),
    podman: commandVersion('podman', ['--version']),
    gnuTime: existsSync('/usr/bin/time'),
    /** Other work on the machine skews wall times: /proc/loadavg before and after. */
    loadBefore: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    loadAfter: ''
  }
  const notes: string[] = []

  const scratch = await mkdtemp(join(tmpdir(), 'mai-bench-'))
  // Every run uses one snapshot of the bundle (dist/index.js and the chunks it loads), even if
  // dist/ is rebuilt while the bench runs.
  // The package.json beside it keeps it an ES module as in dist/ (without one Node 20 first tries
  // the file as CommonJS, which costs start-up time and memory).
  const bundle = readFileSync(dist)
  await cp(resolve(root, 'dist'), join(scratch, 'dist'), { recursive: true })
  const entry = join(scratch, 'dist', 'index.js')
  await writeFile(join(scratch, 'dist', 'package.json'), '{ "type": "module" }\n')
  const bundleInfo = {
    bytes: bundle.length,
    sha256: createHash('sha256').update(bundle).digest('hex')
  }
  let registry: RunningRegistry | undefined
  let proxy: FaultProxy | undefined
  const cleanup = async (): Promise<void> => {
    for (const pid of live) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone
      }
    }
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

    // Which tools can run here.
    const tools = new Set(opts.tools)
    if (tools.has('docker') && machine.docker === undefined) {
      tools.delete('docker')
      notes.push('docker: skipped, the docker CLI is not installed (`docker --version` failed).')
    }
    if (tools.has('podman')) {
      if (machine.podman === undefined) {
        tools.delete('podman')
        notes.push(
          'podman: skipped, not installed (Debian package `podman`; bench/run installs it when it can).'
        )
      } else {
        const why = await podmanProbe(ctx)
        if (why !== undefined) {
          tools.delete('podman')
          notes.push(`podman: skipped, it cannot run here: ${why}`)
        }
      }
    }

    if (tools.has('docker'))
      notes.push(
        'docker: `docker manifest create --insecure` + `docker manifest push --insecure` with a temp DOCKER_CONFIG holding the proxy\'s auths; no daemon is involved. With `--insecure` the CLI tries https first and falls back to http (the proxy answers the TLS hello with a 400 at once: not counted, no added latency); without it the CLI fails with "no such manifest". It opens a new connection for every request; the proxy adds latency per request, not per connection, so on a real network (TCP + TLS handshakes) docker would pay more than here.'
      )
    if (tools.has('podman'))
      notes.push(
        `podman: ${machine.podman}, as root (no user namespace needed), vfs storage in a temp --root/--runroot; \`manifest create\` + one \`manifest add --tls-verify=false\` of every source + \`manifest push --tls-verify=false --all=false\` per tag (podman 4.3's \`create --tls-verify=false LIST IMAGE...\` does not apply the flag to the images it adds; \`--all=false\` because the children are already in the repository, as for docker and the Action).`
      )

    // Seed every case's per-arch images, straight at the registry (not counted, no latency).
    const cases = makeCases().filter((c) => opts.cases.includes(c.id))
    const seedStart = performance.now()
    let seeded = 0
    for (const c of cases) {
      for (const m of c.components) {
        await Promise.all(
          m.plats.map(async (p) => {
            await pushImage(ctx.access, m.repo, sourceTag(c.tag, p, c.template), p.image)
            seeded++
          })
        )
      }
    }
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

    // Start-up, interleaved so that drift hits all three alike: `node -e 0` as a whole process;
    // the Action without INPUT_IMAGES (it fails on the missing input before any request); and
    // the Action's time to its first request in a real 2-platform publish (spawn → the first
    // request arrives at the proxy), which counts everything a run does before it sends.
    const startupTimes: number[] = []
    let startupProblem: string | undefined
    const nodeBare: number[] = []
    const firstRequest: number[] = []
    const p2case = makeCases().find((c) => c.id === 'p2')!
    if (!opts.cases.includes('p2'))
      for (const m of p2case.components)
        await Promise.all(
          m.plats.map((p) =>
            pushImage(ctx.access, m.repo, sourceTag(p2case.tag, p, p2case.template), p.image)
          )
        )
    for (let i = 0; i < opts.startupRuns; i++) {
      // The runner still passes every input's default; only the required `images` is missing.
      const { env, dir, cwd } = await actionEnv(ctx, {})
      try {
        const bare = await runProc(opts.node, ['-e', '0'], env, cwd)
        nodeBare.push(bare.ms)
        const p = await runProc(opts.node, [entry], env, cwd)
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

    // Peak RSS: 32 platforms and the 40-image release (the targets), and 2 platforms and the
    // fail-fast run for context.
    const rssMethod = machine.gnuTime
      ? 'GNU time -v: ru_maxrss of the node process'
      : 'VmHWM at exit, from a preloaded module'
    const rss: number[] = []
    const rssRelease: number[] = []
    const rssContext: Record<string, number | undefined> = {}
    const p32 = makeCases().find((c) => c.id === 'p32')
    const p2 = makeCases().find((c) => c.id === 'p2')
    const r40 = makeCases().find((c) => c.id === 'r40')
    if (p32 !== undefined && p2 !== undefined && r40 !== undefined && opts.rssRuns > 0) {
      for (const c of [p32, p2, r40])
        if (!opts.cases.includes(c.id))
          for (const m of c.components)
            await Promise.all(
              m.plats.map((p) =>
                pushImage(ctx.access, m.repo, sourceTag(c.tag, p, c.template), p.image)
              )
            )
      for (let i = 0; i < opts.rssRuns; i++) {
        await deleteIndexes(ctx, p32)
        const mb = await peakRss(ctx, actionInputs(ctx, p32), 'created', machine.gnuTime)
        if (mb !== undefined) rss.push(mb)
        else notes.push('an RSS run at 32 platforms failed or gave no figure')
        await deleteIndexes(ctx, r40)
        const release = await peakRss(ctx, actionInputs(ctx, r40), 'created', machine.gnuTime)
        if (release !== undefined) rssRelease.push(release)
        else notes.push('an RSS run of the 40-image release failed or gave no figure')
      }
      await deleteIndexes(ctx, p2)
      rssContext['2 platforms'] = await peakRss(
        ctx,
        actionInputs(ctx, p2),
        'created',
        machine.gnuTime
      )
      rssContext['start-up (fails fast)'] = await peakRss(
        ctx,
        undefined,
        undefined,
        machine.gnuTime
      )
      console.log(
        `bench: peak RSS at 32 platforms ${rss.map((x) => x.toFixed(1)).join(', ')} MB, 40-image release ${rssRelease.map((x) => x.toFixed(1)).join(', ')} MB; ${Object.entries(
          rssContext
        )
          .map(([k, v]) => `${k} ${v?.toFixed(1) ?? '?'} MB`)
          .join('; ')}`
      )
    }

    // ── the table ──
    const lines: string[] = []
    lines.push(
      '| case | tool | wall median | min–max | requests by kind, one run (**total**) | round trips | vs this Action |'
    )
    lines.push('|---|---|--:|--:|---|--:|--:|')
    const toolName: Record<Tool, string> = {
      action: 'this Action',
      docker: 'docker manifest',
      podman: 'podman manifest'
    }
    for (const r of results) {
      const base = r.tools.action?.medianMs
      for (const t of opts.tools) {
        const tr = r.tools[t]
        if (tr === undefined) continue
        if (tr.skipped !== undefined) {
          lines.push(`| ${r.title} | ${toolName[t]} | — | — | skipped (see notes) | — | — |`)
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
          `| ${r.title} | ${toolName[t]}${tr.failed ? ' **(failed)**' : ''} | ${ms(tr.medianMs ?? NaN)} | ${ms(tr.minMs ?? NaN)}–${ms(tr.maxMs ?? NaN)} | ${countsNote} | ${one?.roundTrips ?? '—'} | ${ratio} |`
        )
      }
    }
    const table = lines.join('\n')

    // ── start-up and memory, the same run ──
    const maxOf = (xs: number[]): string =>
      xs.length === 0
        ? 'not measured'
        : `${Math.max(...xs).toFixed(1)} MB (max of ${xs.length}; median ${median(xs).toFixed(1)} MB)`
    const processLines = [
      '| measure | this Action | for scale | ratio |',
      '|---|--:|---|--:|',
      `| time to first request: spawn → the first request of a 2-platform publish at the registry (median of ${firstRequest.length}) | ${firstRequestMs === undefined ? '—' : ms(firstRequestMs)} | \`node -e 0\`, whole process: ${ms(nodeBareMs)} (median of ${nodeBare.length}) | ${firstRequestMs === undefined ? '—' : `${(firstRequestMs / nodeBareMs).toFixed(2)}×`} |`,
      `| start-up failing on a missing input, whole process (median of ${startupTimes.length}) | ${ms(startupMs)} | \`node -e 0\`: ${ms(nodeBareMs)} | ${(startupMs / nodeBareMs).toFixed(2)}× |`,
      `| peak RSS, 32 platforms | ${maxOf(rss)} | 2 platforms: ${rssContext['2 platforms']?.toFixed(1) ?? '?'} MB; failing fast: ${rssContext['start-up (fails fast)']?.toFixed(1) ?? '?'} MB | — |`,
      `| peak RSS, release of 40 images × 4 platforms × 2 tags | ${maxOf(rssRelease)} | | — |`
    ]
    const processTable = processLines.join('\n')

    // ── the targets ──
    const res = (id: CaseId, t: Tool): ToolResult | undefined =>
      results.find((r) => r.id === id)?.tools[t]
    const targets: Array<{ target: string; pass: boolean | undefined; measured: string }> = []
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
      target:
        're-run with nothing to do: no PUT, and no slower than the first publish (5 platforms)',
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
      pass: startupProblem === undefined ? startupMs <= 120 : false,
      measured: `${ms(startupMs)} median of ${opts.startupRuns} (bare \`node -e 0\`: ${ms(nodeBareMs)})${startupProblem ? `; ${startupProblem}` : ''}`
    })
    targets.push({
      target: 'peak RSS at most 80 MB at 32 platforms and for the 40-image release',
      pass:
        rss.length === 0 || rssRelease.length === 0
          ? undefined
          : Math.max(...rss, ...rssRelease) <= 80,
      measured: `32 platforms ${maxOf(rss)}; 40 images ${maxOf(rssRelease)} (${rssMethod})`
    })
    for (const r of results)
      for (const t of opts.tools) {
        const f = r.tools[t]?.failed
        if (f !== undefined) notes.push(`${r.title}, ${toolName[t]}: failed: ${f}`)
      }

    machine.loadAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
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
      table,
      '',
      processTable,
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
      bundle: bundleInfo,
      startup: {
        medianMs: startupMs,
        runsMs: startupTimes,
        nodeBareMedianMs: nodeBareMs,
        nodeBareRunsMs: nodeBare,
        firstRequestMedianMs: firstRequestMs,
        firstRequestRunsMs: firstRequest
      },
      rss: { method: rssMethod, mb: rss, release40Mb: rssRelease, context: rssContext },
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
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await cleanup()
  }
}

await main()

/**
 * Runs the bundled action (`node dist/index.js`) the way a GitHub runner does, through the
 * one runner emulation (script/runner-env.ts, which the benchmark uses too): every action.yml
 * default filled in, inputs as `INPUT_<NAME>` variables, outputs and the job summary through
 * the files named by `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY`, and an environment built from
 * scratch (fresh HOME, so no ~/.docker/config.json of this machine is read).
 */
import type { ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  FAKE_GITHUB_TOKEN,
  PROJECT_ROOT,
  parseOutputFile,
  prepareRunnerStep
} from '../script/runner-env.js'
import { leaks, registerSecret, visibleLog } from './secrets.js'
import { runNodeScript } from './process.js'
import { makeTempDir, removeDir } from './util.js'

export { inputEnvName, parseOutputFile, PROJECT_ROOT } from '../script/runner-env.js'

/** Options for {@link runAction}. */
export interface RunActionOptions {
  /** Extra or overriding environment variables (e.g. GITHUB_REF_NAME, DOCKER_CONFIG). */
  env?: Record<string, string>
  /** Script to run, relative to the project root; default `dist/index.js`. */
  entry?: string
  /** Bound on the run (default 60 s); the process is killed by pid after it. */
  timeoutMs?: number
  /** Called with the child process once it is spawned (e.g. to send it a signal). */
  onSpawn?: (child: ChildProcess) => void
  /** Keep the temp dir (HOME, output files) for debugging; its path is in the result. */
  keepTemp?: boolean
}

/** What a run produced. */
export interface ActionRun {
  /** Exit code; null when killed (see `timedOut`). */
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  stdout: string
  stderr: string
  /** Parsed GITHUB_OUTPUT. */
  outputs: Record<string, string>
  /** Contents of GITHUB_STEP_SUMMARY. */
  summary: string
  /** The run's temp dir (removed unless `keepTemp`). */
  tempDir: string
}

/**
 * Runs `node <entry>` with `inputs` as the step's `with:` (every other action.yml default
 * filled in) and collects outputs and summary.
 */
export async function runAction(
  inputs: Record<string, string>,
  opts: RunActionOptions = {}
): Promise<ActionRun> {
  const tempDir = await makeTempDir('action')
  try {
    const step = await prepareRunnerStep(tempDir, inputs, opts.env)
    registerSecret(step.inputs.password)
    registerSecret(step.inputs['github-token'])
    registerSecret(FAKE_GITHUB_TOKEN)
    const { env, files } = step
    const workspace = step.cwd

    const run = await runNodeScript(resolve(PROJECT_ROOT, opts.entry ?? 'dist/index.js'), [], {
      cwd: workspace,
      env,
      timeoutMs: opts.timeoutMs ?? 60_000,
      onSpawn: opts.onSpawn
    })

    const result = {
      ...run,
      outputs: parseOutputFile(await readFile(files.GITHUB_OUTPUT, 'utf8')),
      summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
      tempDir
    }
    // Every run of the suite is checked: no secret in anything a runner would show.
    const leaked = leaks({
      stdout: visibleLog(result.stdout),
      stderr: result.stderr,
      summary: result.summary,
      ...Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [`output ${k}`, v]))
    })
    if (leaked.length > 0) throw new Error(`secret leak in an Action run: ${leaked.join('; ')}`)
    return result
  } finally {
    if (opts.keepTemp !== true) await removeDir(tempDir)
  }
}

/**
 * Runs the Action through GitHub's own local runner, `@github/local-action` (pinned in
 * package.json, with the `tsx` it runs TypeScript with, so nothing is fetched: npm runs
 * offline here): `local-action run <action dir> src/action/main.ts <env file>`. The env file
 * comes from the one runner emulation (script/runner-env.ts): every action.yml default
 * filled in, as a runner fills it.
 *
 * local-action replaces @actions/core with its own stub, prints each output as a
 * `::set-output name=…::…` line instead of writing GITHUB_OUTPUT, and exits 0 even when the
 * Action failed: callers judge by the outputs and by what the registry holds.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT, prepareRunnerStep } from '../../script/runner-env.js'
import { runNodeScript, type ProcessRun } from './process.js'
import { leaks, registerSecret, visibleLog } from './secrets.js'
import { makeTempDir, removeDir } from './util.js'

/** What a local-action run produced. */
export interface LocalActionRun extends ProcessRun {
  /** The outputs the Action set, from local-action's `::set-output` lines (last one wins). */
  outputs: Record<string, string>
  /** GITHUB_STEP_SUMMARY as the Action wrote it through the stub. */
  summary: string
  /** The command line, for the record. */
  command: string
}

/** The dotenv line for one variable; values are double-quoted with \n for line breaks. */
function dotenvLine(name: string, value: string): string {
  if (/["\\]/.test(value)) throw new Error(`${name}: a value with " or \\ cannot be written`)
  return `${name}="${value.replace(/\r?\n/g, '\\n')}"`
}

/** `::set-output name=x::value` lines of local-action's log. */
export function parseSetOutput(stdout: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  for (const line of stdout.split('\n')) {
    const match = /^::set-output name=([^:]+)::(.*)$/.exec(line)
    if (match) outputs[match[1]] = match[2]
  }
  return outputs
}

const LOCAL_ACTION = join(PROJECT_ROOT, 'node_modules/@github/local-action/bin/local-action.js')
const ENTRYPOINT = 'src/action/main.ts'

/** Runs the Action's TypeScript entry point under local-action with `inputs` as `with:`. */
export async function runLocalAction(
  inputs: Record<string, string>,
  opts: { env?: Record<string, string>; timeoutMs?: number } = {}
): Promise<LocalActionRun> {
  const dir = await makeTempDir('local-action')
  try {
    const step = await prepareRunnerStep(dir, inputs, opts.env)
    registerSecret(step.inputs.password)
    registerSecret(step.inputs['github-token'])
    const envFile = join(dir, 'step.env')
    await writeFile(
      envFile,
      Object.entries(step.env)
        .map(([k, v]) => dotenvLine(k, v))
        .join('\n') + '\n'
    )
    const args = ['run', PROJECT_ROOT, ENTRYPOINT, envFile]
    const run = await runNodeScript(LOCAL_ACTION, args, {
      // local-action resolves the action's packages with `npm ls` and runs `npm exec tsx`
      // from the project; offline, so a missing pin fails instead of downloading.
      cwd: PROJECT_ROOT,
      env: { ...step.env, npm_config_offline: 'true', NO_COLOR: '1' },
      timeoutMs: opts.timeoutMs ?? 170_000
    })
    const result: LocalActionRun = {
      ...run,
      outputs: parseSetOutput(run.stdout),
      summary: await readFile(step.files.GITHUB_STEP_SUMMARY, 'utf8'),
      command: `npx local-action ${args.map((a) => a.replace(dir, '$TMP').replace(PROJECT_ROOT.replace(/\/$/, ''), '.')).join(' ')}`
    }
    const leaked = leaks({
      stdout: visibleLog(result.stdout),
      stderr: result.stderr,
      summary: result.summary
    })
    if (leaked.length > 0)
      throw new Error(`secret leak in a local-action run: ${leaked.join('; ')}`)
    return result
  } finally {
    await removeDir(dir)
  }
}

/**
 * The one emulation of how a GitHub runner starts this JavaScript action, shared by the
 * tests (support/run-action.ts, the local-action tests) and the benchmark
 * (bench/tools/action.ts), so that what is measured is what is tested.
 *
 * What a runner does ("Metadata syntax for GitHub Actions", inputs; "Workflow commands",
 * environment files):
 * - every input of action.yml that has a `default:` and is not given in `with:` arrives with
 *   that default; every input becomes `INPUT_` + its name upper-cased with spaces turned into
 *   `_` (hyphens are kept: `INPUT_SOURCE-TEMPLATE`);
 * - a default that is an expression (`${{ github.token }}`) arrives evaluated: the job's
 *   token, here a fake one (nothing in the tests talks to ghcr.io);
 * - outputs, the job summary, env, path and state go through the files named by
 *   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_PATH and GITHUB_STATE;
 * - the environment is the runner's, not the caller's: built here from scratch (a fresh HOME,
 *   so no ~/.docker/config.json of this machine is read).
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

/** The project root (one level above this file). */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url))

/** The runner's variable name for an input: `INPUT_` + name uppercased, spaces → '_', hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/**
 * What the runner gives for an expression default. Only the expressions runners evaluate
 * without a workflow context are known; anything else is a test's mistake, so it throws.
 */
export function evaluateDefault(expression: string, context: RunnerContext): string {
  const inner = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(expression.trim())?.[1]
  if (inner === 'github.token') return context.githubToken
  throw new Error(`action.yml default '${expression}': no runner value known for it`)
}

/** The parts of a job a default may refer to. */
export interface RunnerContext {
  /** The job's GITHUB_TOKEN (`${{ github.token }}`). */
  githubToken: string
}

/** A token that looks like a job's (`ghs_…`) and is new for every process. */
export const FAKE_GITHUB_TOKEN = `ghs_${randomBytes(18).toString('hex')}`

/**
 * action.yml's inputs as a runner reads them. `path` defaults to the project's action.yml
 * (pass it where this module is bundled elsewhere, as the benchmark is).
 */
export function actionInputs(
  path = join(PROJECT_ROOT, 'action.yml')
): Record<string, { default?: unknown; required?: unknown }> {
  const doc = parseYaml(readFileSync(path, 'utf8')) as {
    inputs?: Record<string, { default?: unknown; required?: unknown } | null>
  }
  return Object.fromEntries(Object.entries(doc.inputs ?? {}).map(([k, v]) => [k, v ?? {}]))
}

/**
 * Every action.yml default, as the runner fills it in (expressions evaluated), overlaid by
 * the inputs a step gives in `with:`. A given empty string stays empty, as on a runner.
 */
export function runnerInputs(
  given: Record<string, string>,
  context: RunnerContext = { githubToken: FAKE_GITHUB_TOKEN },
  inputs = actionInputs()
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, spec] of Object.entries(inputs)) {
    if (spec.default === undefined || spec.default === null) continue
    const text = String(spec.default)
    out[name] = text.includes('${{') ? evaluateDefault(text, context) : text
  }
  return { ...out, ...given }
}

/** The environment files a runner creates for each step, by variable. */
export const ENV_FILE_VARIABLES = [
  'GITHUB_OUTPUT',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_ENV',
  'GITHUB_PATH',
  'GITHUB_STATE'
] as const

export type EnvFiles = Record<(typeof ENV_FILE_VARIABLES)[number], string>

/** One step's environment, made from scratch in `dir`. */
export interface RunnerStep {
  env: Record<string, string>
  /** The step's working directory (GITHUB_WORKSPACE). */
  cwd: string
  files: EnvFiles
  /** The inputs as they arrive (defaults filled in), by input name. */
  inputs: Record<string, string>
}

/**
 * Lays out a step in `dir` (home, runner temp, workspace, the environment files) and builds
 * its environment: the runner's variables, every input as INPUT_*, then `extraEnv`
 * (GITHUB_REF_NAME, DOCKER_CONFIG, …) over them.
 */
export async function prepareRunnerStep(
  dir: string,
  given: Record<string, string>,
  extraEnv: Record<string, string> = {},
  opts: { context?: RunnerContext; actionYml?: string } = {}
): Promise<RunnerStep> {
  const home = join(dir, 'home')
  const runnerTemp = join(dir, 'runner-temp')
  const workspace = join(dir, 'workspace')
  await Promise.all([home, runnerTemp, workspace].map((d) => mkdir(d, { recursive: true })))
  const files = Object.fromEntries(
    ENV_FILE_VARIABLES.map((name) => [name, join(dir, name.toLowerCase())])
  ) as EnvFiles
  await Promise.all(Object.values(files).map((f) => writeFile(f, '')))
  const inputs = runnerInputs(given, opts.context, actionInputs(opts.actionYml))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REF_NAME: 'main',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...files
  }
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value
  Object.assign(env, extraEnv)
  return { env, cwd: workspace, files, inputs }
}

/**
 * Parses a GITHUB_OUTPUT file: `name=value` lines and the heredoc form
 * `name<<DELIM` … `DELIM`. A later value for the same name wins, as on GitHub.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line === '') continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    const eq = line.indexOf('=')
    if (heredoc !== null) {
      const [, name = '', delim = ''] = heredoc
      const value: string[] = []
      let j = i + 1
      while (j < lines.length && lines[j] !== delim) value.push(lines[j++] ?? '')
      if (j >= lines.length) throw new Error(`GITHUB_OUTPUT: no closing ${delim} for ${name}`)
      out[name] = value.join('\n')
      i = j
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1)
    } else {
      throw new Error(`GITHUB_OUTPUT: cannot parse line ${JSON.stringify(line)}`)
    }
  }
  return out
}

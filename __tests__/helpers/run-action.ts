/**
 * Runs the bundled action (`node dist/index.js`) the way a GitHub runner does: inputs as
 * `INPUT_<NAME>` variables, outputs and the job summary through the files named by
 * `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY`, and a clean environment (fresh HOME, so no
 * ~/.docker/config.json of this machine is read).
 */
import type { ChildProcess } from 'node:child_process'
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { leaks, registerSecret, visibleLog } from './secrets.js'
import { runNodeScript } from './process.js'
import { makeTempDir, removeDir } from './util.js'

/** The project root (two levels above this file). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

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

/** The runner's variable name for an input: `INPUT_` + name uppercased, spaces → '_', hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
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

/** Runs `node <entry>` with `inputs` as INPUT_* variables and collects outputs and summary. */
export async function runAction(
  inputs: Record<string, string>,
  opts: RunActionOptions = {}
): Promise<ActionRun> {
  const tempDir = await makeTempDir('action')
  try {
    const home = join(tempDir, 'home')
    const runnerTemp = join(tempDir, 'runner-temp')
    const workspace = join(tempDir, 'workspace')
    await Promise.all([home, runnerTemp, workspace].map((d) => mkdir(d)))
    const files = {
      GITHUB_OUTPUT: join(tempDir, 'output'),
      GITHUB_STEP_SUMMARY: join(tempDir, 'summary'),
      GITHUB_ENV: join(tempDir, 'env'),
      GITHUB_PATH: join(tempDir, 'path'),
      GITHUB_STATE: join(tempDir, 'state')
    }
    await Promise.all(Object.values(files).map((f) => writeFile(f, '')))

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
    registerSecret(inputs.password)
    registerSecret(inputs['github-token'])
    Object.assign(env, opts.env ?? {})

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

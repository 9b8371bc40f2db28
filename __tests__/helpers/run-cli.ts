/**
 * Runs the bundled CLI (`node dist/cli.js <args>`) the way a person in a terminal would, but in
 * an environment built from scratch: PATH and a fresh HOME (so no ~/.docker/config.json of this
 * machine is read), nothing from GitHub. Every run is checked for leaked secrets.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { runNodeScript, type ProcessRun } from './process.js'
import { PROJECT_ROOT } from './run-action.js'
import { leaks } from './secrets.js'
import { makeTempDir, removeDir } from './util.js'

/** Options for {@link runCliProcess}. */
export interface RunCliOptions {
  /** Extra or overriding environment variables (DOCKER_CONFIG, MULTIARCH_INDEX_PASSWORD, ...). */
  env?: Record<string, string>
  /** Bound on the run (default 60 s); the process is killed by pid after it. */
  timeoutMs?: number
  /** Called with the child process once it is spawned (e.g. to send it a signal). */
  onSpawn?: (child: ChildProcess) => void
}

/** Runs `node dist/cli.js ...args` and returns its exit code and output. */
export async function runCliProcess(
  args: readonly string[],
  opts: RunCliOptions = {}
): Promise<ProcessRun> {
  const tempDir = await makeTempDir('cli')
  try {
    const home = join(tempDir, 'home')
    await mkdir(home)
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: home,
      ...opts.env
    }
    const run = await runNodeScript(resolve(PROJECT_ROOT, 'dist/cli.js'), args, {
      cwd: tempDir,
      env,
      timeoutMs: opts.timeoutMs ?? 60_000,
      onSpawn: opts.onSpawn
    })
    const leaked = leaks({ stdout: run.stdout, stderr: run.stderr })
    if (leaked.length > 0) throw new Error(`secret leak in a CLI run: ${leaked.join('; ')}`)
    return run
  } finally {
    await removeDir(tempDir)
  }
}

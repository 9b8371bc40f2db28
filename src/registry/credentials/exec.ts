/**
 * Running a program with input, output and a time bound, as a dependency: credential
 * helpers go through it, tests pass a fake or real helper programs.
 *
 * The default spawns with node:child_process rather than @actions/exec: @actions/exec 3.0
 * has no timeout, no signal and no access to the child, so a hanging helper could not be
 * stopped, and this layer must not import @actions/* (docs/design.md §6).
 */
import { findExecutable } from './find-executable.js'

export interface ExecResult {
  exitCode: number | null
  stdout: string
  stderr: string
  /** True when the bound ran out and the program was killed. */
  timedOut: boolean
}

export type ExecFn = (
  command: string,
  args: readonly string[],
  options: { input: string; timeoutMs: number; env?: Record<string, string | undefined> }
) => Promise<ExecResult>

/**
 * Spawn `command`, write `input` to its stdin, collect output; SIGKILL after `timeoutMs`. A
 * bare command name is looked up on the PATH of `options.env` (findExecutable: never the
 * current directory) and run by its absolute path; not found is exit 127, as a shell says.
 */
export const spawnExec: ExecFn = async (command, args, options) => {
  const env = options.env ?? process.env
  const program = /[\\/]/.test(command) ? command : findExecutable(command, { env })
  if (program === undefined)
    return { exitCode: 127, stdout: '', stderr: `${command}: not found on PATH`, timedOut: false }
  return spawnProgram(program, args, { ...options, env })
}

const spawnProgram: ExecFn = async (command, args, options) => {
  // Loaded on first use: most runs start no helper, and node:child_process (with the modules
  // it loads) would otherwise be compiled at every start (README, Performance).
  const { spawn } = await import('node:child_process')
  return new Promise<ExecResult>((resolve) => {
    let stdout = ''
    let stderr = ''
    let timedOut = false
    let settled = false
    // Its own process group on POSIX, so the bound can stop what it started too: a helper that
    // is a script (`docker-credential-gcloud` is) leaves its grandchild holding the pipes open
    // when only the script is killed, and that kept this process alive until it ended.
    const group = process.platform !== 'win32'
    const child = spawn(command, [...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      detached: group
    })
    const finish = (exitCode: number | null) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ exitCode, stdout, stderr, timedOut })
    }
    const timer = setTimeout(() => {
      timedOut = true
      try {
        if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
        else child.kill('SIGKILL')
      } catch {
        child.kill('SIGKILL') // the group is gone already
      }
      // Bounded even if a grandchild left the group and holds the pipes open: stop reading
      // them so they do not keep the event loop alive.
      setTimeout(() => {
        finish(null)
        child.stdout.destroy()
        child.stderr.destroy()
        child.stdin.destroy()
      }, 500).unref()
    }, options.timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('error', (error) => {
      stderr += error.message
      finish(127)
    })
    child.on('close', (code) => finish(code))
    child.stdin.on('error', () => undefined) // a helper that exits without reading stdin
    child.stdin.end(options.input)
  })
}

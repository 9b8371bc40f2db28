/** The benchmark's child processes: spawned with exactly the given environment, bounded, stopped by pid. */
import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'

export interface ProcResult {
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
export function runProc(
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

export function tail(text: string, lines = 4): string {
  return text.trim().split('\n').slice(-lines).join(' | ').slice(0, 400)
}

/** Stops (SIGKILL, by pid) every process this module started that is still running. */
export function killLiveProcesses(): void {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
}

/**
 * Runs a Node script as a child process with a bound: output captured (bounded), killed by
 * pid after `timeoutMs`. Shared by ./run-action.ts (the bundled Action) and ./run-cli.ts
 * (the bundled CLI).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { stopChild, TailBuffer, waitForExit } from './util.js'

/** Options for {@link runNodeScript}. */
export interface NodeScriptOptions {
  /** The whole environment of the child (nothing is inherited). */
  env: Record<string, string>
  cwd: string
  /** Bound on the run; the process is killed by pid after it. */
  timeoutMs: number
  /** Called with the child process once it is spawned (e.g. to send it a signal). */
  onSpawn?: (child: ChildProcess) => void
}

/** What a bounded run produced. */
export interface ProcessRun {
  /** Exit code; null when killed (see `timedOut`). */
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  stdout: string
  stderr: string
}

/** Runs `node <script> <args>`; resolves when it has exited or was killed after the bound. */
export async function runNodeScript(
  script: string,
  args: readonly string[],
  opts: NodeScriptOptions
): Promise<ProcessRun> {
  const stdout = new TailBuffer(4 << 20)
  const stderr = new TailBuffer(4 << 20)
  const child = spawn(process.execPath, [script, ...args], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false
  })
  opts.onSpawn?.(child)
  child.stdout.on('data', (c: Buffer) => stdout.push(c))
  child.stderr.on('data', (c: Buffer) => stderr.push(c))
  const exited = new Promise<void>((res) => {
    child.once('close', () => res())
    child.once('error', (err) => {
      stderr.push(`spawn failed: ${err.message}\n`)
      res()
    })
  })

  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    void stopChild(child, 500)
  }, opts.timeoutMs)
  // Bounded even if a grandchild keeps the pipes open after the kill.
  let guard: NodeJS.Timeout | undefined
  await Promise.race([
    exited,
    new Promise<void>((res) => (guard = setTimeout(res, opts.timeoutMs + 5000)))
  ])
  clearTimeout(guard)
  clearTimeout(timer)
  await waitForExit(child, 2000)
  return {
    code: child.exitCode,
    signal: child.signalCode,
    timedOut,
    stdout: stdout.toString(),
    stderr: stderr.toString()
  }
}

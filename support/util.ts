/**
 * Small shared pieces for the test helpers: temp dirs, free ports, bounded waits and
 * stopping child processes by pid. Node built-ins only.
 */
import { type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import type { Server as HttpServer } from 'node:http'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Creates a fresh directory under the OS temp dir, named `mai-<prefix>-XXXXXX`. */
export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `mai-${prefix}-`))
}

/** Removes a directory tree; never throws (cleanup must not mask a test failure). */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined)
}

/**
 * Finds a free TCP port on 127.0.0.1 by listening on port 0 and closing again.
 * There is a small window in which another process could take it; the callers
 * start their server right away.
 */
export async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => resolve())
  })
  const addr = srv.address()
  await new Promise<void>((resolve) => srv.close(() => resolve()))
  if (addr === null || typeof addr === 'string') throw new Error('freePort: no TCP address')
  return addr.port
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Binds an http/net server to 127.0.0.1 on an OS-chosen port and returns that port. */
export async function listenLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const addr = server.address()
  if (addr === null || typeof addr === 'string') throw new Error('listenLoopback: no TCP address')
  return addr.port
}

/**
 * Closes an http server, dropping idle and (after `graceMs`) all open keep-alive sockets.
 * Bounded: a connection that survives closeAllConnections (seen once in CI: an afterAll
 * waited out jest's 60 s) does not hold the caller past `graceMs` + 2 s.
 */
export async function closeHttpServer(server: HttpServer, graceMs = 1000): Promise<void> {
  if (!server.listening) return
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  const timer = setTimeout(() => server.closeAllConnections(), graceMs)
  let bound: NodeJS.Timeout | undefined
  await Promise.race([
    closed,
    new Promise<void>((resolve) => (bound = setTimeout(resolve, graceMs + 2000)))
  ])
  clearTimeout(timer)
  clearTimeout(bound)
  server.closeAllConnections()
}

/** Resolves true when the child has exited (or already had), false after `ms`. */
export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit)
      resolve(false)
    }, ms)
    const onExit = (): void => {
      clearTimeout(timer)
      resolve(true)
    }
    child.once('exit', onExit)
  })
}

/**
 * Stops a child process by its pid: SIGTERM, then SIGKILL if it is still running after
 * `termMs`, and waits (bounded) for it to exit.
 */
export async function stopChild(child: ChildProcess, termMs = 2000): Promise<void> {
  const pid = child.pid
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  signalPid(pid, 'SIGTERM')
  if (await waitForExit(child, termMs)) return
  signalPid(pid, 'SIGKILL')
  await waitForExit(child, 2000)
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // ESRCH: it is already gone.
  }
}

/** Keeps the last `limit` characters written to it: bounded capture of a child's output. */
export class TailBuffer {
  private text = ''
  constructor(private readonly limit = 64 * 1024) {}

  /** Appends a chunk, dropping the oldest text beyond the limit. */
  push(chunk: Buffer | string): void {
    this.text += chunk.toString()
    if (this.text.length > this.limit) this.text = this.text.slice(-this.limit)
  }

  /** The captured text. */
  toString(): string {
    return this.text
  }
}

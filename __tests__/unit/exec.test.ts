/**
 * src/registry/credentials/exec.ts spawnExec against real tiny programs (bash scripts in a temp dir):
 * input on stdin, output and exit code back, the time bound enforced on the program and on
 * what it started, a missing program as exit 127. The one real wait is the 300 ms bound.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnExec } from '../../src/registry/credentials/exec.js'

let dir = ''

async function program(name: string, body: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, `#!/bin/bash\n${body}\n`)
  await chmod(path, 0o755)
  return path
}

/** True while `pid` is a live process (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  const stat = `/proc/${pid}/stat`
  if (!existsSync(stat)) return true
  const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0]
  return state !== 'Z' && state !== 'X'
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multiarch-exec-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('spawnExec', () => {
  it('writes the input to stdin and returns stdout, exit 0', async () => {
    const cat = await program('echo-stdin', 'cat')
    const result = await spawnExec(cat, [], { input: 'ghcr.io', timeoutMs: 10_000 })
    expect(result).toEqual({ exitCode: 0, stdout: 'ghcr.io', stderr: '', timedOut: false })
  })

  it('passes the arguments and the environment it is given', async () => {
    const show = await program('show', 'echo "args=$*" ; echo "probe=${PROBE:-unset}"')
    const result = await spawnExec(show, ['get', 'x'], {
      input: '',
      timeoutMs: 10_000,
      env: { PATH: process.env.PATH, PROBE: 'set-by-test' }
    })
    expect(result.stdout).toBe('args=get x\nprobe=set-by-test\n')
  })

  it('returns a non-zero exit code with stdout and stderr', async () => {
    const fail = await program(
      'fail',
      'echo "credentials not found in native keychain"\necho "oops" >&2\nexit 3'
    )
    const result = await spawnExec(fail, ['get'], { input: 'ghcr.io', timeoutMs: 10_000 })
    expect(result).toEqual({
      exitCode: 3,
      stdout: 'credentials not found in native keychain\n',
      stderr: 'oops\n',
      timedOut: false
    })
  })

  it('copes with a program that exits without reading a large input', async () => {
    const quick = await program('quick', 'exit 0')
    const result = await spawnExec(quick, [], {
      input: 'x'.repeat(4 * 1024 * 1024),
      timeoutMs: 10_000
    })
    expect(result.exitCode).toBe(0)
    expect(result.timedOut).toBe(false)
  })

  it('kills a program that outlives the bound, and what it started, well within 2 s', async () => {
    const pidFile = join(dir, 'sleeper.pid')
    // The script's own child holds stdout open: killing only the script would leave it.
    const slow = await program('slow', `sleep 30 &\necho $! > '${pidFile}'\nwait`)
    const started = Date.now()
    const result = await spawnExec(slow, ['get'], { input: 'ghcr.io', timeoutMs: 300 })
    const elapsed = Date.now() - started
    expect(result.timedOut).toBe(true)
    expect(result.exitCode).toBeNull()
    expect(elapsed).toBeGreaterThanOrEqual(290)
    expect(elapsed).toBeLessThan(2_000)
    const sleeper = Number((await readFile(pidFile, 'utf8')).trim())
    expect(sleeper).toBeGreaterThan(0)
    // SIGKILL is delivered at once, but reaping may lag a moment.
    for (let i = 0; i < 20 && alive(sleeper); i++) await new Promise((r) => setTimeout(r, 50))
    expect(alive(sleeper)).toBe(false)
  })

  it('kills a plain long sleep too', async () => {
    const slow = await program('sleep30', 'sleep 30')
    const started = Date.now()
    const result = await spawnExec(slow, [], { input: '', timeoutMs: 300 })
    expect(result.timedOut).toBe(true)
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('reports a missing program as exit 127', async () => {
    const result = await spawnExec(join(dir, 'docker-credential-missing'), ['get'], {
      input: 'ghcr.io',
      timeoutMs: 10_000
    })
    expect(result.exitCode).toBe(127)
    expect(result.timedOut).toBe(false)
    expect(result.stderr).toContain('ENOENT')
  })

  it('reports a program missing from PATH as exit 127', async () => {
    const result = await spawnExec('docker-credential-surely-not-installed', ['get'], {
      input: 'ghcr.io',
      timeoutMs: 10_000,
      env: { PATH: dir }
    })
    expect(result.exitCode).toBe(127)
  })
})

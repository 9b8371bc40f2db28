/** The machine the benchmark runs on, as the report's first line describes it. */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import type { Options } from './options.js'

export interface Machine {
  nproc: number
  cpu: string
  /** The Node.js that runs the Action (`--node`), and the one that runs this bench. */
  node: string
  benchNode: string
  os: string
  registry: string
  docker: string | undefined
  podman: string | undefined
  gnuTime: boolean
  /** Other work on the machine skews wall times: /proc/loadavg before and after. */
  loadBefore: string
  loadAfter: string
}

export function commandVersion(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 20_000, stdio: 'pipe' })
      .trim()
      .split('\n')[0]
  } catch {
    return undefined
  }
}

/** /proc/loadavg's three averages. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
}

/** The machine now; `loadAfter` is filled in when the runs are over. */
export function describeMachine(opts: Options): Machine {
  return {
    nproc: cpus().length,
    cpu: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown',
    node: commandVersion(opts.node, ['--version']) ?? `unknown (${opts.node})`,
    benchNode: process.version,
    os: /PRETTY_NAME="?([^"\n]*)/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown',
    registry: commandVersion('docker-registry', ['--version']) ?? 'unknown',
    docker: commandVersion('docker', ['--version']),
    podman: commandVersion('podman', ['--version']),
    gnuTime: existsSync('/usr/bin/time'),
    loadBefore: loadAverage(),
    loadAfter: ''
  }
}

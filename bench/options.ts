/**
 * The benchmark's command line: which tools and cases, how many runs, the latency the proxy
 * adds, the Node.js that runs the Action, where the results go (bench/main.ts says what each
 * measures).
 *
 * Options: --runs N (5) --latency MS (30) --startup-runs N (20) --rss-runs N (3) --node PATH
 *          --tools action,docker,podman --cases p2,p5,p16,p32,tags,retina,rerun,r40 --out DIR
 */
import { resolve } from 'node:path'

export type Tool = 'action' | 'docker' | 'podman'
export const ALL_TOOLS: Tool[] = ['action', 'docker', 'podman']
export const ALL_CASES = ['p2', 'p5', 'p16', 'p32', 'tags', 'retina', 'rerun', 'r40'] as const
export type CaseId = (typeof ALL_CASES)[number]

export interface Options {
  runs: number
  latencyMs: number
  startupRuns: number
  rssRuns: number
  /** The Node.js binary that runs the Action and `node -e 0`. */
  node: string
  tools: Tool[]
  cases: CaseId[]
  out: string
}

export function parseArgs(argv: string[]): Options {
  const o: Options = {
    runs: 5,
    latencyMs: 30,
    startupRuns: 20,
    rssRuns: 3,
    node: process.execPath,
    tools: [...ALL_TOOLS],
    cases: [...ALL_CASES],
    out: resolve('bench/results')
  }
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < min) throw new Error(`${name}: expected an integer ≥ ${min}`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2)
    const value = (): string | undefined => inline ?? argv[++i]
    switch (flag) {
      case '--runs':
        o.runs = int(flag, value(), 1)
        break
      case '--latency':
        o.latencyMs = int(flag, value(), 0)
        break
      case '--startup-runs':
        o.startupRuns = int(flag, value(), 1)
        break
      case '--rss-runs':
        o.rssRuns = int(flag, value(), 0)
        break
      case '--tools': {
        const list = (value() ?? '').split(',').filter(Boolean)
        for (const t of list)
          if (!ALL_TOOLS.includes(t as Tool)) throw new Error(`--tools: unknown tool ${t}`)
        o.tools = list as Tool[]
        break
      }
      case '--cases': {
        const list = (value() ?? '').split(',').filter(Boolean)
        for (const c of list)
          if (!ALL_CASES.includes(c as CaseId)) throw new Error(`--cases: unknown case ${c}`)
        o.cases = list as CaseId[]
        break
      }
      case '--out':
        o.out = resolve(value() ?? 'bench/results')
        break
      case '--node':
        o.node = value() ?? process.execPath
        break
      case '--help':
        console.log(
          'npm run bench -- [--runs N] [--latency MS] [--startup-runs N] [--rss-runs N] [--node PATH] [--tools action,docker,podman] [--cases p2,p5,p16,p32,tags,retina,rerun,r40] [--out DIR]'
        )
        process.exit(0)
        break
      default:
        throw new Error(`unknown option ${argv[i]} (try --help)`)
    }
  }
  if (!o.tools.includes('action')) throw new Error('--tools must include action (ratios need it)')
  return o
}

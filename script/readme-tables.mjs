// @ts-check
// The README's Inputs and Outputs tables, generated from action.yml: each input's
// name, its description folded to one line, and its default. The tables live between marker
// comments (<!-- inputs:start --> … <!-- inputs:end -->, the same for outputs);
// __tests__/docs.test.ts fails when they drift from action.yml.
// Usage: node script/readme-tables.mjs           rewrite README.md's tables (npm run docs)
//        node script/readme-tables.mjs --check   exit 1 when README.md is not up to date
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'yaml'

const NOTE =
  '<!-- Generated from action.yml by `npm run docs`: edit action.yml, not this table. -->'

/**
 * @typedef {{ description?: unknown, required?: unknown, default?: unknown }} ActionInput
 * @typedef {{ description?: unknown }} ActionOutput
 * @typedef {{ inputs?: Record<string, ActionInput>, outputs?: Record<string, ActionOutput> }} ActionMetadata
 */

/** @param {string} text action.yml's text */
export function parseAction(text) {
  return /** @type {ActionMetadata} */ (parse(text))
}

/** Any text as one line: every run of white space (line breaks included) becomes one space. */
export function oneLine(/** @type {unknown} */ text) {
  return String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
}

/** One-line text made safe for a Markdown table cell: `|` would end the cell, `<` open HTML. */
export function cell(/** @type {string} */ text) {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;')
}

/** A value as inline code in a table cell (a value holding a backtick gets double ones). */
function code(/** @type {string} */ value) {
  if (value === '') return '(empty)'
  const escaped = value.replace(/\|/g, '\\|')
  return value.includes('`') ? `\`\` ${escaped} \`\`` : `\`${escaped}\``
}

/**
 * The default column: action.yml's `default`; else `required`; else what the description
 * states ("Defaults to X." gives X); else a dash.
 */
export function defaultCell(/** @type {ActionInput} */ input) {
  if (input.default !== undefined && input.default !== null)
    return code(oneLine(String(input.default)))
  if (input.required === true || input.required === 'true') return 'required'
  const stated = /\bDefaults to (.+?)\.(?:\s|$)/.exec(oneLine(input.description))
  if (stated) return cell(stated[1])
  return '—'
}

/** The Inputs table (no trailing newline). */
export function inputsTable(/** @type {ActionMetadata} */ action) {
  const rows = Object.entries(action.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${cell(oneLine(input?.description))} | ${defaultCell(input ?? {})} |`
  )
  return ['| input | description | default |', '|---|---|---|', ...rows].join('\n')
}

/** The Outputs table (no trailing newline). */
export function outputsTable(/** @type {ActionMetadata} */ action) {
  const rows = Object.entries(action.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(oneLine(output?.description))} |`
  )
  return ['| output | description |', '|---|---|', ...rows].join('\n')
}

/**
 * What goes between a section's markers: the note, then the table between blank lines, all
 * fenced off from Prettier (`npm run format` would pad the columns and cause drift).
 */
export function sectionBody(/** @type {string} */ table) {
  return `\n<!-- prettier-ignore-start -->\n${NOTE}\n\n${table}\n\n<!-- prettier-ignore-end -->\n`
}

/** @param {'inputs' | 'outputs'} name */
export function markers(name) {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` }
}

/**
 * The text between a section's markers, or undefined when the README lacks them (or has
 * them more than once, or out of order).
 * @param {string} readme
 * @param {'inputs' | 'outputs'} name
 */
export function extractSection(readme, name) {
  const { start, end } = markers(name)
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  if (from < 0 || to < from || readme.indexOf(start, from + 1) >= 0) return undefined
  if (readme.indexOf(end, to + 1) >= 0) return undefined
  return readme.slice(from + start.length, to)
}

/** The tables action.yml gives, by section. @param {ActionMetadata} action */
export function generatedSections(action) {
  return {
    inputs: sectionBody(inputsTable(action)),
    outputs: sectionBody(outputsTable(action))
  }
}

/**
 * README text with both tables replaced by what action.yml gives.
 * @param {string} readme
 * @param {string} actionText action.yml's text
 */
export function updateReadme(readme, actionText) {
  const sections = generatedSections(parseAction(actionText))
  let text = readme
  for (const name of /** @type {const} */ (['inputs', 'outputs'])) {
    const { start, end } = markers(name)
    if (extractSection(text, name) === undefined)
      throw new Error(`README.md needs exactly one ${start} … ${end} pair`)
    const from = text.indexOf(start) + start.length
    text = text.slice(0, from) + sections[name] + text.slice(text.indexOf(end))
  }
  return text
}

function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const readmePath = join(root, 'README.md')
  const readme = readFileSync(readmePath, 'utf8')
  const updated = updateReadme(readme, readFileSync(join(root, 'action.yml'), 'utf8'))
  if (updated === readme) {
    console.log('README.md: the Inputs and Outputs tables match action.yml')
  } else if (process.argv.includes('--check')) {
    console.error('README.md: the Inputs/Outputs tables differ from action.yml: run `npm run docs`')
    process.exitCode = 1
  } else {
    writeFileSync(readmePath, updated)
    console.log('README.md: the Inputs and Outputs tables were regenerated from action.yml')
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()

/**
 * The job summary, answer first: a headline ("v0.0.32: 4 of 5 images published, 1 failed;
 * latest held back"), the held-back note, one overview table (a row per image, failures
 * first, a distinct icon per status), the full `repository@digest` of every index in a code
 * block (copyable), then one folded section per image: what every tag did, the platforms
 * with what changed, and for a failure what was found, what was not and the next step.
 * Only elements and attributes on GitHub's HTML allowlist are used (`details`, `summary`,
 * `code`, tables), and every string that came from a registry or an input is HTML-escaped.
 * Pure: returns Markdown; main.ts writes it.
 */
import { markdownText } from '../oci/untrusted-text.js'
import type { Mode } from '../publish/options.js'
import type { ImageReport, ImageStatus, RunReport, TagReport } from '../publish/result.js'
import {
  changeText,
  comparedWithText,
  discoveryFacts,
  type Fact,
  failedFirst,
  FOUND_WORD,
  imageLabel,
  indexText,
  PLATFORM_CHANGE_WORD,
  platformChange,
  platformNotes,
  platformsInBrief,
  pullLimitFact,
  shortDigest,
  shortName,
  SOURCE_PROBLEM_WORD,
  sourceLabel,
  statusInBrief,
  statusSentence,
  STATUS_WORD,
  tagChangeText,
  tagsInBrief,
  type PlatformChange
} from '../publish/report-words.js'
import { headline, heldBackNote, nextStep } from '../publish/report-sentences.js'

/** One icon per status, each different, so a glance tells them apart. */
export const STATUS_ICON: Record<ImageStatus, string> = {
  created: '✅',
  updated: '🔄',
  unchanged: '☑️',
  verified: '🔍',
  planned: '📝',
  failed: '❌'
}

/**
 * Registry or input text in the summary: on one line, HTML-escaped, and every character that
 * could start a link, emphasis, code or a table cell written as a character reference
 * (markdownText); a `#` or `>` that would start a line is made a reference too, so a quoted
 * error line stays a quote.
 */
function escapeText(text: string): string {
  return markdownText(text).replace(/^[#>+=-]/, (c) => `&#${c.charCodeAt(0)};`)
}

/** A value in a code element (escaped: markup inside `<code>` would still be live). */
function code(text: string): string {
  return `<code>${escapeText(text)}</code>`
}

/** A fenced block holding `text` as it is: a fence longer than any backtick run in it (CommonMark §4.5). */
function fenced(text: string, info = 'text'): string[] {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  return [`${fence}${info}`, text, fence]
}

/** The sign before a platform's change, so a glance tells them apart. */
const CHANGE_ICON: Record<PlatformChange, string> = { added: '➕', removed: '➖', changed: '✏️' }

function tagCell(image: ImageReport): string {
  const tags = tagsInBrief(image, code, (word) => ` ⚠️ ${word}`)
  return image.tagResults ? tags.join('<br>') : tags.join(', ')
}

function statusCell(image: ImageReport): string {
  return `${STATUS_ICON[image.status]} ${escapeText(statusInBrief(image))}`
}

function overview(images: readonly ImageReport[]): string[] {
  const lines = ['| Image | Status | Index | Platforms | Tags |', '| --- | --- | --- | --- | --- |']
  for (const image of failedFirst(images)) {
    lines.push(
      `| **${escapeText(imageLabel(image, images))}** | ${statusCell(image)} | ${image.digest ? code(shortDigest(image.digest)) : '—'} | ${platformsInBrief(image) ?? '—'} | ${tagCell(image)} |`
    )
  }
  return lines
}

function tagTable(image: ImageReport): string[] {
  const results: TagReport[] = image.tagResults ?? []
  if (results.length === 0) return []
  const lines = ['| Tag | What happened |', '| --- | --- |']
  for (const t of results) {
    const role = t.role === 'release' ? ' (release)' : ''
    lines.push(`| ${code(t.tag)}${role} | ${escapeTagText(t, image.digest)} |`)
  }
  return [...lines, '']
}

/**
 * A shared sentence (report-words.ts) with its values as `<code>` and the rest escaped: the
 * sentence is built with placeholders (private-use characters, which no value here holds),
 * escaped, and the placeholders replaced by the escaped values.
 */
function markedUp(build: (code: (value: string) => string) => string): string {
  const values: string[] = []
  const text = build((value) => `\uE000${values.push(value) - 1}\uE001`)
  return escapeText(text).replace(/\uE000(\d+)\uE001/g, (_, i: string) => code(values[Number(i)]))
}

function escapeTagText(t: TagReport, digest: string | undefined): string {
  return markedUp((asCode) => tagChangeText(t, digest, asCode))
}

function osVersion(platform: string): string {
  return /\(([^)]+)\)/.exec(platform)?.[1] ?? ''
}

function platformTable(image: ImageReport): string[] {
  const mark = (platform: string): string => {
    const change = platformChange(image, platform)
    if (change === undefined) return ''
    return change === 'same' ? 'same' : `${CHANGE_ICON[change]} ${PLATFORM_CHANGE_WORD[change]}`
  }
  const failed = image.status === 'failed' && image.sourceProblems !== undefined
  if (image.platforms.length === 0 && !failed) return []
  const lines = [
    `| Platform | Per-arch image | ${failed ? 'Found' : 'Change'} | Digest | os.version |`,
    '| --- | --- | --- | --- | --- |'
  ]
  for (const p of image.platforms) {
    const notes = platformNotes(p, (words) => `⚠️ ${words}`)
    lines.push(
      `| ${escapeText(p.platform.replace(/\([^)]*\)/, ''))} | ${code(sourceLabel(image.image, p.source))} | ${failed ? `✅ ${FOUND_WORD}` : mark(p.platform)} | ${code(p.digest)}${notes.length ? ` ${escapeText(notes.join('; '))}` : ''} | ${escapeText(osVersion(p.platform))} |`
    )
  }
  for (const problem of image.sourceProblems ?? []) {
    lines.push(
      `| ${escapeText(problem.platform ?? '?')} | ${code(sourceLabel(image.image, problem.source))} | ${problem.problem === 'missing' ? '❌' : '⚠️'} ${SOURCE_PROBLEM_WORD[problem.problem]} | — | |`
    )
  }
  for (const removed of image.changes?.removed ?? []) {
    lines.push(
      `| ${escapeText(removed)} | — | ${CHANGE_ICON.removed} ${PLATFORM_CHANGE_WORD.removed} | — | |`
    )
  }
  return [...lines, '']
}

function changeLine(image: ImageReport): string[] {
  const c = image.changes
  if (!c) return []
  const against = comparedWithText(c, code)
  const changed = changeText(
    c,
    (platforms) => escapeText(platforms.join(', ')),
    (change) => `${CHANGE_ICON[change]} `
  )
  return [`**Changed${against ? ` (${against})` : ''}:** ${changed}`, '']
}

/**
 * Labelled facts (report-words.ts), one per line: `**Label:** text`. Labels are our own
 * words and counts; the text comes marked up already.
 */
function factLines(facts: readonly Fact[]): string[] {
  if (facts.length === 0) return []
  return [...facts.map((f) => `**${f.label}:** ${f.text}  `), '']
}

function discoveryLines(image: ImageReport): string[] {
  const discovery = image.discovery
  if (!discovery) return []
  return factLines(discoveryFacts(discovery, code, escapeText))
}

/** Docker Hub's pull limit (docs/registry-quirks.md #37): numbers only, never registry text. */
function rateLimitLines(image: ImageReport): string[] {
  if (!image.rateLimit) return []
  return factLines([pullLimitFact(image.rateLimit)])
}

function errorLines(image: ImageReport): string[] {
  if (!image.error) return []
  const [first, ...rest] = image.error.split(/\r?\n/)
  const lines = [`**Next step:** ${escapeNext(image)}`, '', `> ${escapeText(first)}`, '']
  if (rest.length > 0) {
    lines.push(
      '<details><summary>Full error</summary>',
      '',
      ...fenced(image.error),
      '',
      '</details>',
      ''
    )
  }
  return lines
}

function escapeNext(image: ImageReport): string {
  return markedUp((asCode) => nextStep(image, asCode, asCode))
}

function imageSection(image: ImageReport): string[] {
  const failed = image.status === 'failed'
  const lines = [
    `<details${failed ? ' open' : ''}><summary>${STATUS_ICON[image.status]} <b>${escapeText(shortName(image.image))}</b>: ${escapeText(STATUS_WORD[image.status])} — ${escapeText(statusSentence(image))}</summary>`,
    ''
  ]
  lines.push(`**Repository:** ${code(image.image)}  `)
  const index = indexText(image, code, escapeText)
  if (index) lines.push(`**Index:** ${index}  `)
  lines.push('')
  lines.push(...errorLines(image))
  lines.push(...tagTable(image))
  lines.push(...changeLine(image))
  lines.push(...discoveryLines(image))
  lines.push(...rateLimitLines(image))
  lines.push(...platformTable(image))
  lines.push('</details>', '')
  return lines
}

/** What the summary is about: the release tag and the mode of the run. */
interface SummaryContext {
  tag: string
  mode: Mode
}

/** The whole summary for a run. */
export function renderSummary(report: RunReport, context: SummaryContext): string {
  const images = report.images
  const failed = images.some((i) => i.status === 'failed') || images.length === 0
  const icon = failed ? '❌' : context.mode === 'dry-run' ? '📝' : '✅'
  const lines = [`## ${icon} ${escapeText(headline(images, context.tag, context.mode))}`, '']
  const note = heldBackNote(images, context.mode)
  if (note) lines.push(`> ⚠️ ${escapeText(note)}`, '')
  if (images.length > 0) lines.push(...overview(images), '')
  const indexes = images.filter((i) => i.digest)
  if (indexes.length > 0) {
    lines.push(
      context.mode === 'dry-run' ? 'The indexes it would push:' : 'Pull by digest:',
      '',
      ...fenced(indexes.map((i) => `${i.image}@${i.digest}`).join('\n')),
      ''
    )
  }
  for (const image of failedFirst(images)) lines.push(...imageSection(image))
  lines.push(`<sub>multiarch-index, mode ${escapeText(context.mode)}</sub>`, '')
  return lines.join('\n')
}

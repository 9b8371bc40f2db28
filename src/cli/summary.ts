/**
 * The terminal summary, in the job summary's words (src/publish/report-words.ts and
 * report-sentences.ts): the headline first, the held-back note, one aligned overview row per
 * image (failures first), then per image what every tag did, the platforms with what
 * changed, and for a failure what was found, what was not and the next step. Pure: returns
 * text; main.ts prints it.
 */
import type { Mode } from '../publish/options.js'
import type { ImageReport } from '../publish/result.js'
import {
  changeText,
  comparedWithText,
  discoveryFacts,
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
  SOURCE_PROBLEM_WORD,
  sourceLabel,
  statusInBrief,
  statusSentence,
  STATUS_WORD,
  tagChangeText,
  tagsInBrief
} from '../publish/report-words.js'
import { headline, heldBackNote, nextStep } from '../publish/report-sentences.js'

/** Rows as aligned columns (two spaces apart, no trailing blanks). */
export function columns(rows: readonly string[][], indent = ''): string[] {
  const widths: number[] = []
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd()
  )
}

function indented(text: string, indent: string): string[] {
  return text.split(/\r?\n/).map((line) => (line ? indent + line : ''))
}

const flag = (name: string) => `--${name}`

function overview(images: readonly ImageReport[]): string[] {
  const rows = [['IMAGE', 'STATUS', 'INDEX', 'PLATFORMS', 'TAGS']]
  for (const image of failedFirst(images)) {
    rows.push([
      imageLabel(image, images),
      statusInBrief(image, (word) => word.toUpperCase()),
      image.digest ? shortDigest(image.digest) : '-',
      platformsInBrief(image) ?? '-',
      tagsInBrief(image).join(', ')
    ])
  }
  return columns(rows)
}

function imageSection(image: ImageReport): string[] {
  const lines: string[] = [image.image]
  const facts: string[][] = []
  facts.push(['status:', `${STATUS_WORD[image.status]}: ${statusSentence(image)}`])
  const index = indexText(image)
  if (index) facts.push(['index:', index])
  for (const t of image.tagResults ?? []) {
    facts.push([`${t.tag}:`, tagChangeText(t, image.digest)])
  }
  if (!image.tagResults) facts.push(['tags:', image.tags.join(', ')])
  if (image.changes) {
    const against = comparedWithText(image.changes)
    facts.push(['changed:', `${changeText(image.changes)}${against ? ` (${against})` : ''}`])
  }
  const more = [
    ...(image.discovery ? discoveryFacts(image.discovery) : []),
    ...(image.rateLimit ? [pullLimitFact(image.rateLimit)] : [])
  ]
  for (const fact of more) facts.push([`${fact.label.toLowerCase()}:`, fact.text])
  if (image.error) facts.push(['next step:', nextStep(image, flag)])
  lines.push(...columns(facts, '  '))
  const changeOf = (platform: string): string => {
    const change = platformChange(image, platform)
    return change === undefined || change === 'same' ? '' : PLATFORM_CHANGE_WORD[change]
  }
  const failed = image.status === 'failed' && image.sourceProblems !== undefined
  if (image.platforms.length > 0 || failed) {
    const rows = [['PLATFORM', 'SOURCE', 'DIGEST', '']]
    for (const p of image.platforms) {
      const notes = [failed ? FOUND_WORD : changeOf(p.platform), ...platformNotes(p)].filter(
        Boolean
      )
      rows.push([
        p.platform,
        sourceLabel(image.image, p.source),
        shortDigest(p.digest),
        notes.join('; ')
      ])
    }
    for (const problem of image.sourceProblems ?? []) {
      rows.push([
        problem.platform ?? '?',
        sourceLabel(image.image, problem.source),
        '-',
        SOURCE_PROBLEM_WORD[problem.problem].toUpperCase()
      ])
    }
    for (const removed of image.changes?.removed ?? [])
      rows.push([removed, '-', '-', PLATFORM_CHANGE_WORD.removed])
    lines.push('', ...columns(rows, '  '))
  }
  if (image.index) {
    // Pretty-printed for reading; the digest is over the canonical bytes (--json has them).
    let text = image.index
    try {
      text = JSON.stringify(JSON.parse(image.index), null, 2)
    } catch {
      // not JSON: show it as it is
    }
    lines.push('', '  index it would push:', ...indented(text, '    '))
  }
  if (image.error) {
    lines.push('', '  error:', ...indented(image.error, '    '))
  }
  return lines
}

/** What the summary is about: the release tag and the mode of the run. */
interface TextContext {
  tag: string
  mode: Mode
}

/** The whole summary of a run, ending in a newline. */
export function renderText(images: readonly ImageReport[], context: TextContext): string {
  const head = [headline(images, context.tag, context.mode)]
  const note = heldBackNote(images, context.mode)
  if (note) head.push('', note)
  const sections = [head.join('\n'), overview(images).join('\n')]
  for (const image of failedFirst(images)) sections.push(imageSection(image).join('\n'))
  return `${sections.join('\n\n')}\n`
}

/**
 * The terminal summary, in the job summary's words (src/publish/report-words.ts): the
 * headline first, the held-back note, one aligned overview row per image (failures first),
 * then per image what every tag did, the platforms with what changed, and for a failure
 * what was found, what was not and the next step. Pure: returns text; main.ts prints it.
 */
import type { Mode } from '../publish/options.js'
import type { ImageReport } from '../publish/result.js'
import {
  headline,
  heldBackNote,
  nextStep,
  plannedWords,
  PLANNED_WORD,
  shortDigest,
  shortName,
  sourceLabel,
  STATUS_MEANING,
  STATUS_WORD,
  tagChangeText,
  tagsInBrief
} from '../publish/report-words.js'

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

function failedFirst(images: readonly ImageReport[]): ImageReport[] {
  return [
    ...images.filter((i) => i.status === 'failed'),
    ...images.filter((i) => i.status !== 'failed')
  ]
}

function platformsBrief(image: ImageReport): string {
  if (image.status === 'failed' && image.sourceProblems) {
    return `${image.platforms.length} of ${image.platforms.length + image.sourceProblems.length} found`
  }
  return image.platforms.length > 0 ? String(image.platforms.length) : '-'
}

function overview(images: readonly ImageReport[]): string[] {
  const rows = [['IMAGE', 'STATUS', 'INDEX', 'PLATFORMS', 'TAGS']]
  for (const image of failedFirst(images)) {
    rows.push([
      shortName(image.image),
      STATUS_WORD[image.status].toUpperCase() +
        (image.plannedAction ? `: ${PLANNED_WORD[image.plannedAction]}` : ''),
      image.digest ? shortDigest(image.digest) : '-',
      platformsBrief(image),
      tagsInBrief(image)
    ])
  }
  return columns(rows)
}

function imageSection(image: ImageReport): string[] {
  const lines: string[] = [image.image]
  const facts: string[][] = []
  const planned = image.plannedAction ? `; ${plannedWords(image.plannedAction)}` : ''
  const meaning =
    image.status === 'failed' && image.error
      ? image.error.split(/\r?\n/)[0].replace(/:$/, '')
      : STATUS_MEANING[image.status]
  facts.push(['status:', `${STATUS_WORD[image.status]}: ${meaning}${planned}`])
  if (image.digest)
    facts.push([
      'index:',
      `${image.image}@${image.digest}${image.mediaType ? ` (${image.mediaType})` : ''}`
    ])
  for (const t of image.tagResults ?? []) {
    facts.push([`${t.tag}:`, tagChangeText(t, image.digest)])
  }
  if (!image.tagResults) facts.push(['tags:', image.tags.join(', ')])
  if (image.changes) {
    const c = image.changes
    const parts = [
      c.added.length ? `added ${c.added.join(', ')}` : '',
      c.removed.length ? `removed ${c.removed.join(', ')}` : '',
      c.changed.length ? `new image for ${c.changed.join(', ')}` : ''
    ].filter(Boolean)
    const against = c.comparedWith
      ? ` (compared with ${c.comparedWith.digest}, which ${c.comparedWith.tag} held)`
      : ''
    facts.push([
      'changed:',
      `${parts.join('; ') || 'platforms unchanged (entry details differ)'}${against}`
    ])
  }
  if (image.error) facts.push(['next step:', nextStep(image, flag)])
  lines.push(...columns(facts, '  '))
  const changeOf = (platform: string): string => {
    const c = image.changes
    if (!c) return ''
    if (c.added.includes(platform)) return 'added'
    if (c.changed.includes(platform)) return 'new image'
    return ''
  }
  const failed = image.status === 'failed' && image.sourceProblems !== undefined
  if (image.platforms.length > 0 || failed) {
    const rows = [['PLATFORM', 'SOURCE', 'DIGEST', '']]
    for (const p of image.platforms) {
      const notes = [
        failed ? 'found' : changeOf(p.platform),
        p.stale ? 'stale: the per-arch tag now holds another image' : '',
        p.attestations ? `+${p.attestations} attestation${p.attestations === 1 ? '' : 's'}` : ''
      ].filter(Boolean)
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
        problem.problem === 'missing' ? 'NOT FOUND' : 'NOT WHAT ITS TAG SAYS'
      ])
    }
    for (const removed of image.changes?.removed ?? []) rows.push([removed, '-', '-', 'removed'])
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
export interface TextContext {
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

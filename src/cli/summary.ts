/**
 * The terminal summary: per image the status in words, the index digest, the tags, a plain
 * text platform table (aligned columns) and the error. Pure: returns text; main.ts prints it.
 */
import { shortDigest } from '../oci/digest.js'
import { overallStatus, type ImageReport, type ImageStatus } from '../publish/result.js'

const STATUS_WORDS: Record<ImageStatus, string> = {
  created: 'created: the index was pushed for the first time',
  updated: 'updated: the tag held a different index, which was replaced',
  unchanged: 'unchanged: the tag already held this exact index; nothing was written',
  verified: 'verified: the index is complete and every platform resolves',
  planned: 'planned (dry-run): nothing was written',
  failed: 'FAILED'
}

/** The source's tag (or digest) when it is in the image's repository, else the whole reference. */
function sourceLabel(image: string, source: string): string {
  return source.startsWith(`${image}:`) || source.startsWith(`${image}@`)
    ? source.slice(image.length + 1)
    : source
}

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

function imageSection(image: ImageReport): string[] {
  const lines: string[] = [image.image]
  const facts: string[][] = []
  const planned = image.plannedAction
    ? ` (would ${image.plannedAction === 'nothing' ? 'change nothing' : image.plannedAction})`
    : ''
  facts.push(['status:', `${STATUS_WORDS[image.status]}${planned}`])
  if (image.digest)
    facts.push(['digest:', `${image.digest}${image.mediaType ? ` (${image.mediaType})` : ''}`])
  facts.push(['tags:', image.tags.join(', ')])
  if (image.previousDigest) facts.push(['previous:', image.previousDigest])
  if (image.changes) {
    const parts = [
      image.changes.added.length ? `added ${image.changes.added.join(', ')}` : '',
      image.changes.removed.length ? `removed ${image.changes.removed.join(', ')}` : '',
      image.changes.changed.length ? `new image for ${image.changes.changed.join(', ')}` : ''
    ].filter(Boolean)
    facts.push(['changed:', parts.join('; ') || 'platforms unchanged (entry details differ)'])
  }
  lines.push(...columns(facts, '  '))
  if (image.platforms.length > 0) {
    const rows = [['PLATFORM', 'SOURCE', 'DIGEST', '']]
    for (const p of image.platforms) {
      const notes = [
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

/** The whole summary of a run, ending in a newline. */
export function renderText(images: readonly ImageReport[]): string {
  const sections = images.map((image) => imageSection(image).join('\n'))
  if (images.length > 1) {
    const failed = images.filter((i) => i.status === 'failed').length
    sections.push(
      `${images.length} images: ${overallStatus(images)}${failed ? ` (${failed} of ${images.length} failed)` : ''}`
    )
  }
  return `${sections.join('\n\n')}\n`
}

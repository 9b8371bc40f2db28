/**
 * The job summary: a Markdown table per image (platform, source tag, digest, os.version),
 * the status in words and what changed. Pure: returns Markdown; main.ts writes it. Registry
 * text only ever appears HTML-escaped, in code spans or in a fenced code block, so nothing a
 * registry sends can be a live element (DESIGN.md §3 "Untrusted input").
 */
import { shortDigest } from '../oci/digest.js'
import { escapeHtml, markdownCode, markdownText, neutralise } from '../oci/untrusted-text.js'
import type { ImageReport, ImageStatus, RunReport } from '../publish/result.js'

const STATUS_WORDS: Record<ImageStatus, string> = {
  created: 'created: the index was pushed for the first time',
  updated: 'updated: the tag held a different index, which was replaced',
  unchanged: 'unchanged: the tag already held this exact index; nothing was written',
  verified: 'verified: the index is complete and every platform resolves',
  planned: 'planned (dry-run): nothing was written',
  failed: 'failed'
}

const STATUS_ICON: Record<ImageStatus, string> = {
  created: '✅',
  updated: '✅',
  unchanged: '✅',
  verified: '✅',
  planned: '📝',
  failed: '❌'
}

/** Plain text in a sentence or a table cell: nothing in it is HTML or Markdown syntax. */
function cell(text: string): string {
  return markdownText(text)
}

/** A digest as a short `<code>` whose title holds it in full. */
function digestCode(digest: string): string {
  // `|` as a reference: a GFM table splits its cells before it reads any HTML.
  const title = escapeHtml(neutralise(digest)).replace(/\|/g, '&#124;')
  return `<code title="${title}">${markdownText(shortDigest(digest))}</code>`
}

function sourceTag(source: string): string {
  const at = source.lastIndexOf('@')
  if (at >= 0) return source.slice(at + 1)
  const colon = source.lastIndexOf(':')
  const slash = source.lastIndexOf('/')
  return colon > slash ? source.slice(colon + 1) : source
}

function osVersion(platform: string): string {
  return /\(([^)]+)\)/.exec(platform)?.[1] ?? ''
}

function imageSection(image: ImageReport): string {
  const lines: string[] = []
  lines.push(`### ${STATUS_ICON[image.status]} ${markdownCode(image.image)}`)
  lines.push('')
  lines.push(
    `**Status:** ${STATUS_WORDS[image.status]}${image.plannedAction ? ` (would ${image.plannedAction === 'nothing' ? 'change nothing' : image.plannedAction})` : ''}  `
  )
  lines.push(`**Tags:** ${image.tags.map(markdownCode).join(', ')}  `)
  if (image.digest)
    lines.push(`**Index:** ${digestCode(image.digest)} (${cell(image.mediaType ?? '')})  `)
  if (image.previousDigest) lines.push(`**Previous index:** ${digestCode(image.previousDigest)}  `)
  if (image.discovery) {
    const found = image.discovery.found
      .map((f) => `${markdownCode(f.tag)} (${markdownCode(f.platform)})`)
      .join(', ')
    lines.push(`**Discovered (platforms: auto):** ${found || 'nothing'}  `)
    for (const group of image.discovery.ignored) {
      const more = group.count > group.examples.length ? ', …' : ''
      lines.push(
        `**Ignored ${group.count}:** ${cell(group.why)} (${group.examples.map(markdownCode).join(', ')}${more})  `
      )
    }
    if (image.discovery.invalidTags)
      lines.push(
        `**Dropped ${image.discovery.invalidTags}:** names in the tag listing that are not valid tag names  `
      )
    if (image.discovery.truncated)
      lines.push(
        `**Note:** ${cell(image.discovery.truncatedWhy ?? 'the tag listing stopped at its page limit; more tags may exist')}  `
      )
  }
  if (image.changes) {
    const parts = [
      image.changes.added.length ? `added ${image.changes.added.map(cell).join(', ')}` : '',
      image.changes.removed.length ? `removed ${image.changes.removed.map(cell).join(', ')}` : '',
      image.changes.changed.length
        ? `new image for ${image.changes.changed.map(cell).join(', ')}`
        : ''
    ].filter(Boolean)
    lines.push(`**Changed:** ${parts.join('; ') || 'platforms unchanged (entry details differ)'}  `)
  }
  lines.push('')
  if (image.platforms.length > 0) {
    lines.push('| Platform | Source tag | Digest | os.version |')
    lines.push('| --- | --- | --- | --- |')
    for (const p of image.platforms) {
      const stale = p.stale ? ' ⚠️ stale' : ''
      const attest = p.attestations
        ? ` (+${p.attestations} attestation${p.attestations === 1 ? '' : 's'})`
        : ''
      lines.push(
        `| ${cell(p.platform.replace(/\([^)]*\)/, ''))} | ${markdownCode(sourceTag(p.source))} | ${digestCode(p.digest)}${stale}${attest} | ${cell(osVersion(p.platform))} |`
      )
    }
    lines.push('')
  }
  if (image.error) {
    // The error quotes registry messages. In a fenced code block nothing is parsed (no HTML,
    // no link is live); a fence longer than any backtick run in it keeps a stray ``` from
    // closing the block early (CommonMark: the closing fence must be at
    // least as long as the opening one).
    const longestRun = Math.max(0, ...(image.error.match(/`+/g) ?? []).map((run) => run.length))
    const fence = '`'.repeat(Math.max(3, longestRun + 1))
    lines.push(`${fence}text`)
    lines.push(image.error)
    lines.push(fence)
    lines.push('')
  }
  return lines.join('\n')
}

/** The whole summary for a run. */
export function renderSummary(report: RunReport, title = 'multiarch-index'): string {
  return [`## ${title}`, '', ...report.images.map(imageSection)].join('\n')
}

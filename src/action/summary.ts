/**
 * The job summary: a Markdown table per image (platform, source tag, digest, os.version),
 * the status in words and what changed. Pure: returns Markdown; main.ts writes it.
 */
import { shortDigest } from '../oci/digest.js'
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

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
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
  lines.push(`### ${STATUS_ICON[image.status]} \`${image.image}\``)
  lines.push('')
  lines.push(
    `**Status:** ${STATUS_WORDS[image.status]}${image.plannedAction ? ` (would ${image.plannedAction === 'nothing' ? 'change nothing' : image.plannedAction})` : ''}  `
  )
  lines.push(`**Tags:** ${image.tags.map((t) => `\`${t}\``).join(', ')}  `)
  if (image.digest)
    lines.push(
      `**Index:** <code title="${image.digest}">${shortDigest(image.digest)}</code> (${image.mediaType ?? ''})  `
    )
  if (image.previousDigest)
    lines.push(
      `**Previous index:** <code title="${image.previousDigest}">${shortDigest(image.previousDigest)}</code>  `
    )
  if (image.discovery) {
    const found = image.discovery.found.map((f) => `\`${f.tag}\` (${f.platform})`).join(', ')
    lines.push(`**Discovered (platforms: auto):** ${found || 'nothing'}  `)
    for (const group of image.discovery.ignored) {
      const more = group.count > group.examples.length ? ', …' : ''
      lines.push(
        `**Ignored ${group.count}:** ${cell(group.why)} (${group.examples.map((t) => `\`${t}\``).join(', ')}${more})  `
      )
    }
    if (image.discovery.truncated)
      lines.push('**Note:** the tag listing stopped at its page limit; more tags may exist  ')
  }
  if (image.changes) {
    const parts = [
      image.changes.added.length ? `added ${image.changes.added.join(', ')}` : '',
      image.changes.removed.length ? `removed ${image.changes.removed.join(', ')}` : '',
      image.changes.changed.length ? `new image for ${image.changes.changed.join(', ')}` : ''
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
        `| ${cell(p.platform.replace(/\([^)]*\)/, ''))} | \`${cell(sourceTag(p.source))}\` | <code title="${p.digest}">${shortDigest(p.digest)}</code>${stale}${attest} | ${cell(osVersion(p.platform))} |`
      )
    }
    lines.push('')
  }
  if (image.error) {
    // The error quotes registry messages; a fence longer than any backtick run in it keeps
    // a stray ``` from closing the block early (CommonMark: the closing fence must be at
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

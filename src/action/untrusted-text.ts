/**
 * Release tag names, API messages and registry text on their way into an issue body or a
 * shell command. The neutraliser and the Markdown code span are the ones for all untrusted
 * text (src/oci/untrusted-text.ts); this adds what only the issue report needs: a fenced
 * block and a shell word.
 */
import { markdownCode, neutralise } from '../oci/untrusted-text.js'

export { neutralise }

/**
 * A Markdown table cell showing `text` literally: a code span (GitHub renders no mention,
 * issue link, emphasis or HTML inside one), `|` escaped for GFM tables.
 */
export function codeCell(text: string): string {
  return neutralise(text) === '' ? '' : markdownCode(text)
}

/** A fenced code block showing `text` literally; the fence outlasts any backtick run in it. */
export function codeBlock(text: string, info = ''): string {
  const lines = text.split(/\r?\n/).map(neutralise)
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  return [`${fence}${info}`, ...lines, fence].join('\n')
}

/** A POSIX shell word: single-quoted, so `$(...)`, backticks and globs in it stay text. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9._/=:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

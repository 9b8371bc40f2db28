/**
 * Text that came from a registry or from GitHub (release tag names, API and registry error
 * messages) on its way into a log line or an issue body. It must not start a workflow
 * command (`::`, `##[`, per GitHub's workflow-commands documentation), and in Markdown it
 * must not mention a user, link an issue, open HTML or break out of its table cell or code
 * block (GitHub Flavored Markdown: code spans and fenced blocks render their text literally).
 */

/** A word joiner: invisible, and it splits `::` and `##[` so no runner reads a command. */
const JOINER = '\u2060'

/** One line: control characters become spaces; workflow-command openers are broken. */
export function neutralise(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/::/g, `:${JOINER}:`)
      .replace(/##\[/g, `#${JOINER}#[`)
      .trim()
  )
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
}

/**
 * A Markdown table cell showing `text` literally: a code span (no mention, link, emphasis or
 * HTML inside one) whose delimiter is longer than any backtick run in the text, and `|`
 * escaped (GFM tables split cells on `|` even inside code spans).
 */
export function codeCell(text: string): string {
  const line = neutralise(text)
  if (line === '') return ''
  const ticks = '`'.repeat(longestBacktickRun(line) + 1)
  return `${ticks} ${line.replace(/\|/g, '\\|')} ${ticks}`
}

/** A fenced code block showing `text` literally; the fence outlasts any backtick run in it. */
export function codeBlock(text: string, info = ''): string {
  const lines = text.split(/\r?\n/).map(neutralise)
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1))
  return [`${fence}${info}`, ...lines, fence].join('\n')
}

/** A POSIX shell word: single-quoted, so `$(...)`, backticks and globs in it stay text. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9._/=:@-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}

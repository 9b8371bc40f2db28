/**
 * Text that came from a registry or an image (error messages, header values, config fields,
 * tag names) made safe for where it is shown (docs/design.md §3 "Untrusted input"):
 *
 * - a runner's log: the runner takes a line whose text, after leading blanks, starts with
 *   `::` as a workflow command, and the legacy `##[` form anywhere in a line (actions/runner,
 *   ActionCommandManager); `\r` alone ends a line there too;
 * - a terminal: control characters move the cursor or recolour what follows;
 * - the job summary: Markdown with inline HTML, where a tag or a link would be live.
 */

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }
/** What the runner skips before looking for `::` (.NET Trim, plus the C0 separators). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const LEADING_BLANKS = /^[\s\u001c-\u001f\u0085]*/
const COMMAND_START = /^(?:::|##\[)/

function escapeControl(char: string): string {
  const named = NAMED_ESCAPES[char]
  if (named) return named
  const code = char.charCodeAt(0)
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`
}

/** Defuse the legacy `##[` form wherever it is, and `::` at the start (after blanks). */
function defuseCommands(line: string): string {
  const out = line.replace(/##\[/g, '##\\x5b')
  const blanks = LEADING_BLANKS.exec(out)?.[0] ?? ''
  const rest = out.slice(blanks.length)
  return COMMAND_START.test(rest)
    ? `${blanks}\\x${rest.charCodeAt(0).toString(16)}${rest.slice(1)}`
    : out
}

/**
 * One line of registry text, safe to put into any message: control characters and line
 * breaks escaped (`\n`, `\x1b`), so it can never start a line of its own, and no workflow
 * command in it (`::` at its start, `##[` anywhere) is left intact.
 */
export function neutralise(text: string): string {
  return defuseCommands(text.replace(CONTROL, escapeControl))
}

/**
 * A message about to be written to the runner's log or a terminal, line by line: whatever
 * went into it, no line of it can be taken as a workflow command. Line breaks the message
 * means to have stay; other control characters are escaped.
 */
export function commandSafe(message: string): string {
  return message
    .split(/\r\n|\r|\n/)
    .map((line) => defuseCommands(line.replace(CONTROL, escapeControl)))
    .join('\n')
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/** Text for HTML content or a quoted attribute value: no tag, entity or attribute can start. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c])
}

/** Inline Markdown that could make a link, an image, emphasis or code (CommonMark §6). */
const MARKDOWN_INLINE = /[\\`*_[\]()!~]/g
/** What starts a GFM autolink: `://`, `www.`, an e-mail `@`, `mailto:` and `xmpp:`. */
const AUTOLINK_START = /:(?=\/\/)|@|(?<=www)\.|(?<=mailto|xmpp):/gi

function characterReference(c: string): string {
  return `&#${c.charCodeAt(0)};`
}

/**
 * Plain text inside Markdown (a sentence, a table cell): HTML-escaped, on one line, `|`
 * escaped for tables, and each character that could start a link, an image, emphasis, code
 * or an autolink written as a numeric character reference, which renders as itself.
 */
export function markdownText(text: string): string {
  return escapeHtml(neutralise(text))
    .replace(MARKDOWN_INLINE, characterReference)
    .replace(AUTOLINK_START, characterReference)
    .replace(/\|/g, '\\|')
}

/**
 * A Markdown code span holding `text` as it is (CommonMark §6.1): nothing inside is parsed,
 * so no link, autolink, image or HTML from it is live. The fence is longer than any backtick
 * run in the text; line breaks are escaped (a span must stay on its line, e.g. a table row)
 * and `|` is escaped for GFM tables, which split cells before code spans are read.
 */
export function markdownCode(text: string): string {
  const flat = neutralise(text).replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/** Pieces of HTTP header syntax shared by the header parsers (RFC 9110 §5.6). */

/**
 * Read a quoted-string starting at `start` (which must be the opening `"`): backslash
 * escapes the next character (RFC 9110 §5.6.4). Returns the unescaped value and the index
 * after the closing quote (or the end of the text when it is missing).
 */
export function readQuotedString(text: string, start: number): { value: string; next: number } {
  let i = start + 1
  let value = ''
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && i + 1 < text.length) i++
    value += text[i]
    i++
  }
  return { value, next: i + 1 }
}

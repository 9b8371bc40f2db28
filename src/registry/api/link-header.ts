/**
 * The `Link` header (RFC 8288 §3), as registries use it to page tag lists (distribution-spec
 * end-8b; docs/registry-protocol.md B.4): `<…>; rel="next"`, the target possibly relative to
 * the URL that answered. The header is untrusted input: what does not parse is skipped.
 */
import { readQuotedString } from '../base/http-syntax.js'

/** One link-value of a `Link` header. */
interface LinkValue {
  /** The URI-Reference between `<` and `>`, as sent (possibly relative). */
  target: string
  /** Relation types of the `rel` parameter, lower-cased (RFC 8288 §2.1.1: case-insensitive). */
  rel: string[]
  /** Every parameter, names lower-cased; the first occurrence of a name wins. */
  params: Record<string, string>
}

/**
 * Parse `Link` header value(s) (RFC 8288 §3, which obsoletes RFC 5988): comma-separated
 * link-values `<uri-reference>` followed by `; name=value` parameters, values being tokens or
 * quoted strings (which may hold commas, semicolons and escapes). `rel` may list several
 * space-separated types, and only its first occurrence counts (§3.3). A malformed link-value
 * is skipped up to the next comma outside quotes and angle brackets.
 */
export function parseLinkHeader(header: string | readonly string[] | undefined): LinkValue[] {
  if (header === undefined) return []
  const values = typeof header === 'string' ? [header] : header
  return values.flatMap(parseLinkValues)
}

function parseLinkValues(text: string): LinkValue[] {
  const links: LinkValue[] = []
  let i = 0
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
  }
  /** Skip to just past the next top-level comma (recovery from a malformed link-value). */
  const skipToComma = () => {
    let quoted = false
    let bracketed = false
    for (; i < text.length; i++) {
      const c = text[i]
      if (quoted) {
        if (c === '\\') i++
        else if (c === '"') quoted = false
      } else if (bracketed) {
        if (c === '>') bracketed = false
      } else if (c === '"') quoted = true
      else if (c === '<') bracketed = true
      else if (c === ',') {
        i++
        return
      }
    }
  }
  const readToken = () => {
    const start = i
    while (i < text.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(text[i])) i++
    return text.slice(start, i)
  }
  while (i < text.length) {
    skipSpace()
    if (text[i] === ',') {
      i++
      continue
    }
    if (i >= text.length) break
    if (text[i] !== '<') {
      skipToComma()
      continue
    }
    const close = text.indexOf('>', i + 1)
    if (close < 0) break
    const link: LinkValue = { target: text.slice(i + 1, close).trim(), rel: [], params: {} }
    i = close + 1
    let malformed = false
    for (;;) {
      skipSpace()
      if (i >= text.length || text[i] === ',') break
      if (text[i] !== ';') {
        malformed = true
        break
      }
      i++
      skipSpace()
      const name = readToken().toLowerCase()
      if (!name) {
        malformed = true
        break
      }
      skipSpace()
      let value = ''
      if (text[i] === '=') {
        i++
        skipSpace()
        if (text[i] === '"') {
          ;({ value, next: i } = readQuotedString(text, i))
        } else {
          // A token strictly; read leniently up to the next separator (`type=text/html`).
          const start = i
          while (i < text.length && !/[;,\s"]/.test(text[i])) i++
          value = text.slice(start, i)
        }
      }
      if (!(name in link.params)) link.params[name] = value
    }
    if (malformed) {
      skipToComma()
      continue
    }
    link.rel = (link.params.rel ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter((r) => r !== '')
    links.push(link)
  }
  return links
}

/** The `rel="next"` target of a response, resolved against the URL that answered. */
export function nextLink(
  header: string | readonly string[] | undefined,
  requestUrl: string
): URL | undefined {
  const next = parseLinkHeader(header).find((link) => link.rel.includes('next'))
  if (!next) return undefined
  try {
    return new URL(next.target, requestUrl)
  } catch {
    return undefined
  }
}

/**
 * `WWW-Authenticate` parsing (RFC 7235 §4.1, RFC 6750 §3): `Bearer realm="…",service="…",
 * scope="repository:a:pull repository:b:pull"` or `Basic realm="…"`. Values may be quoted
 * strings with escapes and commas, or bare tokens.
 */

import { readQuotedString } from '../base/http-syntax.js'

export interface Challenge {
  /** Lower-cased scheme: `bearer`, `basic`. */
  scheme: string
  params: Record<string, string>
}

/** Parse every challenge in the header value(s). */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return []
  const values = Array.isArray(header) ? header : [header]
  const out: Challenge[] = []
  for (const value of values) out.push(...parseOne(value))
  return out
}

function parseOne(text: string): Challenge[] {
  const challenges: Challenge[] = []
  let i = 0
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
  }
  const readToken = () => {
    const start = i
    while (i < text.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z/]/.test(text[i])) i++
    return text.slice(start, i)
  }
  let current: Challenge | undefined
  while (i < text.length) {
    skipSpace()
    if (text[i] === ',') {
      i++
      continue
    }
    const token = readToken()
    if (!token) {
      i++ // skip a character we cannot read rather than loop forever
      continue
    }
    skipSpace()
    if (text[i] === '=') {
      // a parameter of the current challenge
      i++
      skipSpace()
      let value: string
      if (text[i] === '"') {
        ;({ value, next: i } = readQuotedString(text, i))
      } else {
        const start = i
        while (i < text.length && text[i] !== ',' && text[i] !== ' ') i++
        value = text.slice(start, i)
      }
      if (current) current.params[token.toLowerCase()] = value
    } else {
      current = { scheme: token.toLowerCase(), params: {} }
      challenges.push(current)
    }
  }
  return challenges
}

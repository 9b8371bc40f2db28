/**
 * `source-template`: how a per-platform tag is named (docs/design.md §2). Tokens `{tag}` `{os}`
 * `{arch}` `{variant}` `{release}` `{osversion}`; `{-x}` renders `-x` only when x is not
 * empty, so `{tag}-{os}{-release}-{arch}{-variant}` gives `v1-linux-arm64` and
 * `v1-windows-ltsc2022-amd64` (Retina's scheme).
 */
import type { ExpectedPlatform } from '../oci/platform.js'

const TOKENS = ['tag', 'os', 'arch', 'variant', 'release', 'osversion'] as const
type Token = (typeof TOKENS)[number]

type Part = { literal: string } | { token: Token; dash: boolean }

/** A parsed template. */
export interface SourceTemplate {
  text: string
  parts: Part[]
}

/** Thrown for a malformed template; the caller names the input. */
export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError'
}

/** Parse and check a template. */
export function parseTemplate(text: string): SourceTemplate {
  const parts: Part[] = []
  let i = 0
  let literal = ''
  while (i < text.length) {
    const c = text[i]
    if (c === '}') throw new TemplateSyntaxError(`'${text}': unmatched '}' at position ${i + 1}`)
    if (c !== '{') {
      literal += c
      i++
      continue
    }
    const end = text.indexOf('}', i)
    if (end < 0) throw new TemplateSyntaxError(`'${text}': unclosed '{' at position ${i + 1}`)
    const body = text.slice(i + 1, end)
    const dash = body.startsWith('-')
    const name = dash ? body.slice(1) : body
    if (!(TOKENS as readonly string[]).includes(name)) {
      throw new TemplateSyntaxError(
        `'${text}': unknown token {${body}}; tokens are ${TOKENS.map((t) => `{${t}}`).join(' ')}, each also as {-x}`
      )
    }
    if (literal) parts.push({ literal })
    literal = ''
    parts.push({ token: name as Token, dash })
    i = end + 1
  }
  if (literal) parts.push({ literal })
  if (!parts.some((p) => 'token' in p)) {
    throw new TemplateSyntaxError(
      `'${text}' has no tokens, so every platform would have the same source`
    )
  }
  return { text, parts }
}

/** The value of each token for one platform. */
function tokenValues(tag: string, platform: ExpectedPlatform): Record<Token, string> {
  return {
    tag,
    os: platform.os,
    arch: platform.architecture,
    variant: platform.variant ?? '',
    release: platform.release ?? '',
    osversion: platform.osVersion ?? ''
  }
}

/** Render the source tag of one platform. */
export function renderTemplate(
  template: SourceTemplate,
  tag: string,
  platform: ExpectedPlatform
): string {
  const values = tokenValues(tag, platform)
  return template.parts
    .map((part) => {
      if ('literal' in part) return part.literal
      const value = values[part.token]
      return part.dash ? (value ? `-${value}` : '') : value
    })
    .join('')
}

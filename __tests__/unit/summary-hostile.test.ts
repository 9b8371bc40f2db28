/**
 * The job summary with hostile registry text in every field a registry can reach (docs/design.md
 * §3 "Untrusted input"): the rendered summary (GFM, as GitHub renders it; marked here) has
 * no live element from it — no link, image, script or any tag the summary does not write
 * itself — and the text still shows. It checks the rendered output, so it keeps guarding
 * whatever layout the summary has.
 */
import { describe, expect, it } from '@jest/globals'
import { marked } from 'marked'
import { renderSummary } from '../../src/action/summary.js'
import type { ImageReport } from '../../src/publish/result.js'

const LINK = '<a href="https://evil.example/login">re-enter your token</a>'
const IMAGE = '<img src="https://evil.example/pixel.png">'
const MD_LINK = '[re-enter your token](https://evil.example/login)'
const HOSTILE = `"><b>x</b>${LINK}${IMAGE}${MD_LINK}![i](https://evil.example/i.png) https://evil.example/auto \`\`\` | </code>`
const GOOD = `sha256:${'a'.repeat(64)}`

/** Tags the summary writes itself; anything else in the HTML came from the data. */
const OWN_TAGS = new Set([
  'h2',
  'h3',
  'p',
  'strong',
  'code',
  'br',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'pre',
  'em',
  'details',
  'summary',
  'b',
  'blockquote',
  'sub'
])

function hostileReport(): ImageReport {
  return {
    image: '127.0.0.1:5000/a/b',
    tags: ['v1'],
    status: 'failed',
    digest: GOOD,
    mediaType: HOSTILE,
    previousDigest: `sha256:${HOSTILE}`,
    platforms: [
      {
        platform: `linux(${HOSTILE})/amd64`,
        source: `127.0.0.1:5000/a/b:${HOSTILE}`,
        digest: `sha256:${HOSTILE}`,
        size: 1,
        mediaType: HOSTILE
      }
    ],
    changes: { added: [HOSTILE], removed: [HOSTILE], changed: [HOSTILE] },
    discovery: {
      found: [{ tag: HOSTILE, platform: HOSTILE }],
      ignored: [{ why: HOSTILE, count: 7, examples: [HOSTILE, MD_LINK] }],
      truncated: true,
      truncatedWhy: HOSTILE
    },
    error: `GET manifest x: 400 DENIED: ${HOSTILE}\n${LINK}`
  }
}

describe('the job summary with hostile registry text', () => {
  it('renders no live element from the registry, and still shows the text', () => {
    const html = marked.parse(
      renderSummary({ images: [hostileReport()] }, { tag: 'v1', mode: 'publish' }),
      { async: false }
    )
    const tags = [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>/g)]
    for (const [, name, attributes] of tags) {
      expect(OWN_TAGS).toContain(name.toLowerCase())
      // Only the digest's title, quoted, with nothing that closes it early, the error
      // block's language class, and `open` on a failed image's details.
      expect(
        attributes
          .replace(/\s*title="[^"<>]*"/g, '')
          .replace(/\s*class="language-text"/, '')
          .replace(/^\s*open(="")?$/, '')
          .trim()
      ).toBe('')
    }
    expect(html).not.toMatch(/<(a|img|script|iframe|svg)\b/i)
    expect(html).toContain('re-enter your token')
  })
})

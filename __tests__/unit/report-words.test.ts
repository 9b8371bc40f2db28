/**
 * The report words both renderers share (src/publish/report-words.ts): what each word is, and
 * that the job summary (Markdown, read as GitHub renders it) and the CLI's text say the same
 * thing in the same words for the same report.
 */
import { describe, it, expect } from '@jest/globals'
import { renderSummary } from '../../src/action/summary.js'
import { renderText } from '../../src/cli/summary.js'
import {
  changeText,
  discoveryFacts,
  platformChange,
  pullLimitFact,
  statusSentence,
  tagsInBrief
} from '../../src/publish/report-words.js'
import type { ImageReport } from '../../src/publish/result.js'
import { renderGfm } from '../helpers/gfm.js'

const d = (c: string) => `sha256:${c.repeat(64)}`
const IMAGE = 'ghcr.io/o/app'

const planned: ImageReport = {
  image: IMAGE,
  tags: ['v1', 'latest'],
  digest: d('a'),
  mediaType: 'application/vnd.oci.image.index.v1+json',
  status: 'planned',
  plannedAction: 'create',
  platforms: [
    {
      platform: 'windows(10.0.20348.3453)/amd64',
      source: `${IMAGE}:v1-windows-ltsc2022-amd64`,
      digest: d('1'),
      size: 1,
      mediaType: 'application/vnd.oci.image.manifest.v1+json'
    }
  ],
  changes: { added: ['windows/amd64'], removed: ['linux/386'], changed: [] },
  tagResults: [
    { tag: 'v1', role: 'release', change: 'would-create', previousDigest: null },
    {
      tag: 'latest',
      role: 'floating',
      change: 'would-move',
      previousDigest: d('b'),
      older: 'its windows/amd64 image was built before the one it replaces'
    }
  ],
  discovery: {
    found: [{ tag: 'v1-windows-ltsc2022-amd64', platform: 'windows(ltsc2022)/amd64' }],
    ignored: [{ why: 'another version', count: 7, examples: ['v0-linux-amd64'] }],
    truncated: false
  },
  rateLimit: { limit: 100, remaining: 97, windowSeconds: 21600 }
}

describe('report words', () => {
  it('a platform matches its change with or without its os version; `same` only with an index to compare', () => {
    expect(platformChange(planned, 'windows(10.0.20348.3453)/amd64')).toBe('added')
    expect(platformChange(planned, 'linux/amd64')).toBe('same')
    expect(platformChange({ ...planned, changes: undefined }, 'linux/amd64')).toBeUndefined()
  })

  it('says what changed in the index, each kind once, marked the renderer’s way', () => {
    expect(changeText(planned.changes!)).toBe('added windows/amd64; removed linux/386')
    expect(changeText(planned.changes!, undefined, (c) => `[${c}] `)).toBe(
      '[added] added windows/amd64; [removed] removed linux/386'
    )
    expect(changeText({ added: [], removed: [], changed: [] })).toBe(
      'platforms unchanged (entry details differ)'
    )
  })

  it('a dry-run status sentence carries the plan; a failure says its first error line', () => {
    expect(statusSentence(planned)).toBe(
      'dry-run: nothing was written; would create the release tag'
    )
    expect(
      statusSentence({ ...planned, status: 'failed', plannedAction: undefined, error: 'a:\nb' })
    ).toBe('a')
  })

  it('marks a tag that moves back to an older index', () => {
    expect(tagsInBrief(planned)).toEqual(['v1 would be created', 'latest would move (older)'])
  })

  it('discovery and the pull limit as labelled facts', () => {
    expect(discoveryFacts(planned.discovery!)).toEqual([
      {
        label: 'Discovered (platforms: auto)',
        text: 'v1-windows-ltsc2022-amd64 (windows(ltsc2022)/amd64)'
      },
      { label: 'Ignored 7', text: 'another version (v0-linux-amd64, …)' }
    ])
    expect(pullLimitFact(planned.rateLimit!)).toEqual({
      label: 'Pull limit',
      text: '97 of 100 per 6h left'
    })
  })
})

describe('the job summary and the CLI say it in the same words', () => {
  const context = { tag: 'v1', mode: 'dry-run' } as const
  const summary = renderGfm(renderSummary({ images: [planned] }, context)).text
  const text = renderText([planned], context)

  it.each([
    ['the status sentence', statusSentence(planned)],
    ['the change', 'added windows/amd64'],
    ['the discovery', 'another version (v0-linux-amd64, …)'],
    ['the pull limit', '97 of 100 per 6h left'],
    ['a tag’s change', 'would be created']
  ])('%s', (_, words) => {
    expect(summary).toContain(words)
    expect(text).toContain(words)
  })

  it('the CLI marks the older move as the summary does', () => {
    expect(text).toMatch(/latest would move \(older\)/)
    expect(summary).toMatch(/latest would move ⚠️ older/)
  })
})

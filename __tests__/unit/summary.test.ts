/**
 * The job summary as a reader sees it: the Markdown rendered as GitHub renders it (GFM, then
 * GitHub's HTML allowlist through hast-util-sanitize's default schema) and read as text.
 * The headline leads, one overview row per image with failures first, full digests visible,
 * every tag's move, platforms marked added/removed/changed, and registry text kept inert.
 */
import { describe, it, expect } from '@jest/globals'
import { renderSummary, STATUS_ICON } from '../../src/action/summary.js'
import type { ImageReport, PlatformReport, RunReport } from '../../src/publish/result.js'
import { elements, renderGfm, tableRows } from '../helpers/gfm.js'

const d = (c: string) => `sha256:${c.repeat(64)}`
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const PUBLISH = { tag: 'v0.0.32', mode: 'publish' } as const

function platform(
  repo: string,
  name: string,
  tag: string,
  digest: string,
  extra: Partial<PlatformReport> = {}
): PlatformReport {
  return {
    platform: name,
    source: `${repo}:${tag}`,
    digest,
    size: 1234,
    mediaType: OCI_MANIFEST,
    ...extra
  }
}

const AGENT = 'ghcr.io/microsoft/retina/retina-agent'
const KUBECTL = 'ghcr.io/microsoft/retina/kubectl-retina'

const agent: ImageReport = {
  image: AGENT,
  tags: ['v0.0.32', 'latest'],
  digest: d('e'),
  mediaType: OCI_INDEX,
  status: 'created',
  platforms: [
    platform(AGENT, 'linux/amd64', 'v0.0.32-linux-amd64', d('1')),
    platform(AGENT, 'linux/arm64', 'v0.0.32-linux-arm64', d('2'), { attestations: 1 }),
    platform(AGENT, 'windows(10.0.20348.3453)/amd64', 'v0.0.32-windows-ltsc2022-amd64', d('4'))
  ],
  changes: {
    comparedWith: { tag: 'latest', digest: d('a') },
    added: ['windows(10.0.20348.3453)/amd64'],
    removed: ['linux/386'],
    changed: ['linux/amd64']
  },
  tagResults: [
    { tag: 'v0.0.32', role: 'release', change: 'created', previousDigest: null, digest: d('e') },
    { tag: 'latest', role: 'floating', change: 'held-back', previousDigest: d('a'), digest: d('a') }
  ]
}

const kubectl: ImageReport = {
  image: KUBECTL,
  tags: ['v0.0.32', 'latest'],
  status: 'failed',
  platforms: [platform(KUBECTL, 'linux/amd64', 'v0.0.32-linux-amd64', d('5'))],
  sourceProblems: [
    {
      platform: 'linux/arm64',
      source: `${KUBECTL}:v0.0.32-linux-arm64`,
      problem: 'missing',
      detail: 'not found'
    }
  ],
  errorCode: 'SOURCES_MISSING',
  error: `1 of 2 per-arch image(s) missing; nothing was written:\n  - ${KUBECTL}:v0.0.32-linux-arm64 (linux/arm64): not found`,
  tagResults: [
    { tag: 'v0.0.32', role: 'release', change: 'not-written', previousDigest: null, digest: null },
    {
      tag: 'latest',
      role: 'floating',
      change: 'not-written',
      previousDigest: d('b'),
      digest: d('b')
    }
  ]
}

const failedRun: RunReport = { images: [agent, kubectl], heldBack: [`${AGENT}:latest`] }

describe('renderSummary: a release with one image missing', () => {
  const { tree, text } = renderGfm(renderSummary(failedRun, PUBLISH))

  it('leads with the answer', () => {
    expect(text.split('\n')[0]).toBe(
      '❌ v0.0.32: 1 of 2 images published, 1 failed; latest held back'
    )
    expect(elements(tree, 'h2')).toHaveLength(1)
  })

  it('says the release is incomplete and that latest stayed where it was', () => {
    expect(text).toContain(
      'The release is incomplete (kubectl-retina failed), so latest stayed where it was on every image'
    )
  })

  it('has one overview table, failures first, a distinct icon per status', () => {
    const rows = tableRows(tree, 0)
    expect(rows[0]).toEqual(['Image', 'Status', 'Index', 'Platforms', 'Tags'])
    expect(rows[1]).toEqual([
      'kubectl-retina',
      '❌ failed',
      '—',
      '1 of 2 found',
      'v0.0.32 not written\nlatest not written'
    ])
    expect(rows[2]).toEqual([
      'retina-agent',
      '✅ created',
      'sha256:eeeeeeeeeeee',
      '3',
      'v0.0.32 created\nlatest held back'
    ])
    expect(new Set(Object.values(STATUS_ICON)).size).toBe(Object.keys(STATUS_ICON).length)
  })

  it('shows the full repository@digest as text that can be copied (a code block)', () => {
    const blocks = elements(tree, 'pre').map(
      (pre) => renderGfm('').text + pre.children.map(() => '').join('')
    )
    expect(blocks.length).toBeGreaterThan(0)
    expect(text).toContain(`${AGENT}@${d('e')}`)
    // not only in a tooltip: no title attribute carries a digest
    expect(
      elements(tree, 'code').some((c) => String(c.properties?.title ?? '').includes('sha256'))
    ).toBe(false)
  })

  it('folds each image in details, the failure open and first', () => {
    const details = elements(tree, 'details').filter((el) =>
      el.children.some((c) => c.type === 'element' && c.tagName === 'summary')
    )
    const summaries = elements(tree, 'summary').map(textOf)
    expect(summaries[0]).toBe(
      '❌ kubectl-retina: failed — 1 of 2 per-arch image(s) missing; nothing was written'
    )
    expect(details[0].properties?.open).toBe(true)
    expect(summaries).toContain(
      '✅ retina-agent: created — the release tag was new and now holds the index'
    )
  })

  it('shows a failure: what was found, what was not, and the next step', () => {
    expect(text).toContain(
      `Next step: push ${KUBECTL}:v0.0.32-linux-arm64, then re-run this job; if it is still being built, set wait-timeout (e.g. 10m) so the step waits`
    )
    const platformRows = allTables(tree).find((rows) => rows[0][2] === 'Found')
    expect(platformRows?.slice(1)).toEqual([
      ['linux/amd64', 'v0.0.32-linux-amd64', '✅ found', d('5'), ''],
      ['linux/arm64', 'v0.0.32-linux-arm64', '❌ not found', '—', '']
    ])
  })

  it('says what every tag holds now, with the previous digest', () => {
    const tagTables = allTables(tree).filter((rows) => rows[0][0] === 'Tag')
    expect(tagTables[0].slice(1)).toEqual([
      ['v0.0.32 (release)', 'not written: holds nothing'],
      ['latest', `not written: holds ${d('b')} (what it held before)`]
    ])
    expect(tagTables[1].slice(1)).toEqual([
      ['v0.0.32 (release)', `created: now holds ${d('e')}`],
      ['latest', `held back (the release is incomplete): still holds ${d('a')}`]
    ])
  })

  it('marks added, removed and changed platforms', () => {
    const rows = allTables(tree).find((r) => r[0][2] === 'Change')!
    expect(rows.slice(1).map((r) => [r[0], r[2]])).toEqual([
      ['linux/amd64', '✏️ new image'],
      ['linux/arm64', 'same'],
      ['windows/amd64', '➕ added'],
      ['linux/386', '➖ removed']
    ])
    expect(text).toContain(
      `Changed (compared with ${d('a')}, which latest held): ➕ added windows(10.0.20348.3453)/amd64; ➖ removed linux/386; ✏️ new image for linux/amd64`
    )
  })

  it('folds a long error and quotes its first line', () => {
    expect(elements(tree, 'blockquote').map((q) => textOf(q).trim())).toContain(
      '1 of 2 per-arch image(s) missing; nothing was written:'
    )
    expect(elements(tree, 'summary').map(textOf)).toContain('Full error')
  })
})

/** Text of an element as a reader sees it. */
function textOf(node: Parameters<typeof elements>[0]): string {
  if (node.type === 'text') return node.value
  if ('children' in node)
    return node.children.map((c) => textOf(c as Parameters<typeof elements>[0])).join('')
  return ''
}

function allTables(tree: Parameters<typeof elements>[0]): string[][][] {
  return elements(tree, 'table').map((_, i) => tableRows(tree, i))
}

describe('renderSummary: other runs', () => {
  it('an update: the tags moved from → to with the previous digest', () => {
    const updated: ImageReport = {
      ...agent,
      status: 'updated',
      previousDigest: d('9'),
      tagResults: [
        {
          tag: 'v0.0.32',
          role: 'release',
          change: 'moved',
          previousDigest: d('9'),
          digest: d('e')
        },
        {
          tag: 'latest',
          role: 'floating',
          change: 'unchanged',
          previousDigest: d('e'),
          digest: d('e')
        }
      ]
    }
    const { tree, text } = renderGfm(renderSummary({ images: [updated] }, PUBLISH))
    expect(text.split('\n')[0]).toBe('✅ v0.0.32: 1 of 1 image published (1 updated)')
    expect(tableRows(tree, 0)[1]).toEqual([
      'retina-agent',
      '🔄 updated',
      'sha256:eeeeeeeeeeee',
      '3',
      'v0.0.32 moved\nlatest unchanged'
    ])
    expect(text).toContain(`moved from ${d('9')} to ${d('e')}`)
  })

  it('a dry-run: what it would do, and a move back to an older index called out', () => {
    const planned: ImageReport = {
      ...agent,
      tags: ['v0.0.31', 'latest'],
      status: 'planned',
      plannedAction: 'nothing',
      tagResults: [
        {
          tag: 'v0.0.31',
          role: 'release',
          change: 'unchanged',
          previousDigest: d('e'),
          digest: d('e')
        },
        {
          tag: 'latest',
          role: 'floating',
          change: 'would-move',
          previousDigest: d('f'),
          digest: d('f'),
          older:
            'its linux/amd64 image was built 2026-11-02T10:00:00Z, the one it replaces 2026-11-30T10:00:00Z'
        }
      ]
    }
    const { tree, text } = renderGfm(
      renderSummary({ images: [planned] }, { tag: 'v0.0.31', mode: 'dry-run' })
    )
    expect(text.split('\n')[0]).toBe(
      '📝 v0.0.31 (dry-run): 1 of 1 image ready to publish (1 already published); latest (1 image) would move back to an older index; nothing was written'
    )
    expect(tableRows(tree, 0)[1][1]).toBe('📝 planned: already published')
    expect(text).toContain(
      `would move from ${d('f')} to ${d('e')} (back to an older index: its linux/amd64 image was built 2026-11-02T10:00:00Z, the one it replaces 2026-11-30T10:00:00Z)`
    )
    expect(text).toContain('The indexes it would push:')
  })

  it('verify: verified images and stale entries', () => {
    const verified: ImageReport = {
      ...agent,
      status: 'verified',
      changes: undefined,
      tagResults: undefined,
      platforms: [platform(AGENT, 'linux/amd64', 'v0.0.32-linux-amd64', d('1'), { stale: true })]
    }
    const { tree, text } = renderGfm(
      renderSummary({ images: [verified] }, { tag: 'v0.0.32', mode: 'verify' })
    )
    expect(text.split('\n')[0]).toBe('✅ v0.0.32: 1 of 1 image verified')
    expect(tableRows(tree, 0)[1].slice(0, 2)).toEqual(['retina-agent', '🔍 verified'])
    expect(text).toContain('⚠️ stale: the per-arch tag now holds another image')
  })

  it('names the repository of a source given by digest', () => {
    const other = `ghcr.io/o/build@${d('7')}`
    const { text } = renderGfm(
      renderSummary(
        {
          images: [
            { ...agent, changes: undefined, platforms: [{ ...agent.platforms[0], source: other }] }
          ]
        },
        PUBLISH
      )
    )
    expect(text).toContain(other)
  })
})

describe('renderSummary: registry text stays text', () => {
  const hostile =
    '<img src=x onerror=alert(1)> | `x` **b** [l](javascript:alert(1)) <script>alert(1)</script>'
  const image: ImageReport = {
    ...kubectl,
    platforms: [
      {
        ...kubectl.platforms[0],
        platform: `linux/amd64${hostile}`,
        source: `${KUBECTL}:${hostile}`
      }
    ],
    error: `registry said: ${hostile}\n\`\`\`\n${hostile}\n\`\`\``
  }
  const markdown = renderSummary({ images: [image] }, PUBLISH)
  const { tree, text } = renderGfm(markdown)

  it('no element or link comes from registry text; the reader sees the characters', () => {
    for (const tag of ['img', 'script', 'a']) expect(elements(tree, tag)).toHaveLength(0)
    expect(elements(tree, 'strong').map(textOf)).not.toContain('b')
    expect(text).toContain(hostile)
  })

  it('keeps the table shape', () => {
    const rows = allTables(tree).find((r) => r[0][2] === 'Found')!
    expect(rows.every((r) => r.length === 5)).toBe(true)
    // the first parenthesised part of a platform is its os.version, shown in its own column
    expect(rows[1][0]).toBe(`linux/amd64${hostile}`.replace(/\([^)]*\)/, ''))
  })
})
